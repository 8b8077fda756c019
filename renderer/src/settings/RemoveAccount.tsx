import { useEffect, useRef, useState } from 'react';
import type { AccountRemovalResponseBody } from '../../../shared/api/accounts.ts';
import { api } from '../apiClient.ts';
import { accountRemoved } from '../mail/liveMail.ts';
import type { Account } from './AccountsSettings.tsx';

/**
 * "Remove…" asks first, in place (what goes and what stays), then removes the account from this
 * computer; the mail views forget it at once.
 */
export function RemoveAccount({ account, onRemoved }: { account: Account; onRemoved(notice: string): void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) cancelButton.current?.focus();
  }, [asking]);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await api.removeAccount(account.id);
      accountRemoved(account.id);
      onRemoved(removalNotice(account, data));
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  if (!asking)
    return (
      <button type="button" className="link-button remove-account" onClick={() => setAsking(true)}>
        Remove {account.email}…
      </button>
    );
  const label = `remove-${account.id}`;
  return (
    <div className="confirm" role="alertdialog" aria-labelledby={label}>
      <p id={label}>
        Remove {account.email} from Outpost? Its mail, calendars and sign-in are deleted from this computer, with anything still
        waiting in the Outbox.{' '}
        {account.capabilities.revocation === 'none'
          ? 'Nothing is deleted anywhere else.'
          : `Nothing is deleted at ${account.provider_name}.`}
      </p>
      <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
        {busy ? 'Removing…' : 'Remove account'}
      </button>{' '}
      <button type="button" ref={cancelButton} disabled={busy} onClick={() => setAsking(false)}>
        Keep it
      </button>
      {error && (
        <p className="error" role="alert">
          Could not remove it: {error}
        </p>
      )}
    </div>
  );
}

/** What the removal did, and what is left for the user to do at the provider (by how it revokes Outpost's access). */
function removalNotice(account: Account, removed: AccountRemovalResponseBody['data']): string {
  const what = `Removed ${account.email} (${removed.messages_removed.toLocaleString()} messages).`;
  const provider = account.provider_name;
  if (account.capabilities.revocation === 'revoke' && removed.revoked === false)
    return `${what} ${provider} could not be told; remove Outpost under your ${provider} account's third-party access.`;
  if (account.capabilities.revocation === 'manual')
    return `${what} You can also remove Outpost from your ${provider} account's apps.`;
  return what;
}
