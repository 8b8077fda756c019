import { useState } from 'react';
import { DEFAULT_SYNC_MINUTES } from '../../../shared/syncIntervals.ts';
import { api } from '../apiClient.ts';
import type { Account } from './AccountsSettings.tsx';

/** The choices offered, in minutes (0: only when asked). The API takes any whole number up to a day. */
const MAIL_CHOICES = [1, 2, 5, 10, 15, 30, 60, 0];
const CALENDAR_CHOICES = [5, 15, 30, 60, 240, 0];

type IntervalField = 'email_sync_minutes' | 'calendar_sync_minutes';

function intervalText(minutes: number): string {
  if (minutes === 0) return 'Only when I ask';
  if (minutes % 60 === 0) return minutes === 60 ? 'Every hour' : `Every ${minutes / 60} hours`;
  return minutes === 1 ? 'Every minute' : `Every ${minutes} minutes`;
}

/** How often an account syncs on its own: mail and calendars each, or the default. */
export function SyncIntervals({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const change = async (field: IntervalField, value: string) => {
    setError(null);
    try {
      await api.updateAccount(account.id, { [field]: value === 'default' ? null : Number(value) });
      await onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const picker = (field: IntervalField, label: string, choices: number[], fallback: number) => {
    const current = account[field];
    // A value set through the API that the list does not offer still shows as chosen.
    const offered = current === null || choices.includes(current) ? choices : [...choices, current];
    return (
      <label>
        {label}{' '}
        <select value={current === null ? 'default' : String(current)} onChange={(e) => void change(field, e.target.value)}>
          <option value="default">Default ({intervalText(fallback).toLowerCase()})</option>
          {offered.map((m) => (
            <option key={m} value={String(m)}>
              {intervalText(m)}
            </option>
          ))}
        </select>
      </label>
    );
  };
  return (
    <fieldset className="sync-intervals">
      <legend className="sr-only">How often {account.email} syncs</legend>
      {picker('email_sync_minutes', 'Check mail', MAIL_CHOICES, DEFAULT_SYNC_MINUTES.email_sync)}
      {picker('calendar_sync_minutes', 'Calendars', CALENDAR_CHOICES, DEFAULT_SYNC_MINUTES.calendar_sync)}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}
