import { type FormEvent, useState } from 'react';
import { api } from '../apiClient.ts';
import type { Account } from './AccountsSettings.tsx';

/** The longest name the API keeps (UpdateAccountBody). */
const MAX_NAME = 200;

/** The name mail from this account carries in From ("Alice Example" <alice@…>); empty: the address alone. */
export function SenderNameSetting({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const saved = account.display_name ?? '';
  const [name, setName] = useState(saved);
  const [status, setStatus] = useState<string | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    try {
      await api.updateAccount(account.id, { display_name: name.trim() || null });
      setStatus('Saved.');
      await onChanged();
    } catch (e) {
      setStatus((e as Error).message);
    }
  };
  return (
    <form className="sender-name" aria-label={`Name for ${account.email}`} onSubmit={(e) => void save(e)}>
      <label>
        Your name in From
        <input
          value={name}
          maxLength={MAX_NAME}
          placeholder="(the address alone)"
          onChange={(e) => setName(e.target.value.replace(/[\r\n]/g, ''))}
        />
      </label>{' '}
      <button type="submit" disabled={name.trim() === saved}>
        Save name
      </button>
      {status && (
        <span className="muted" role="status">
          {' '}
          {status}
        </span>
      )}
    </form>
  );
}
