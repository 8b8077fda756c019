import { type FormEvent, useState } from 'react';
import { api } from '../apiClient.ts';
import type { Account } from './AccountsSettings.tsx';

/** The longest signature the API keeps (UpdateAccountBody). */
const MAX_SIGNATURE = 10_000;

/** The text added below what is written from this account (plain text). */
export function SignatureSetting({ account, onChanged }: { account: Account; onChanged(): Promise<void> }) {
  const [text, setText] = useState(account.signature);
  const [status, setStatus] = useState<string | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    try {
      await api.updateAccount(account.id, { signature: text });
      setStatus('Saved.');
      await onChanged();
    } catch (e) {
      setStatus((e as Error).message);
    }
  };
  return (
    <details className="signature-setting">
      <summary>Signature{account.signature ? '' : ' (none)'}</summary>
      <form aria-label={`Signature for ${account.email}`} onSubmit={(e) => void save(e)}>
        <textarea
          aria-label={`Signature for ${account.email}`}
          value={text}
          maxLength={MAX_SIGNATURE}
          rows={4}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" disabled={text === account.signature}>
          Save signature
        </button>
        {status && (
          <span className="muted" role="status">
            {' '}
            {status}
          </span>
        )}
      </form>
    </details>
  );
}
