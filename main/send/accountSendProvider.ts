import type { AccountRow } from '../db/queries/accounts.ts';
import type { MailSender } from '../providers/accountProvider.ts';
import { ProviderError } from '../providers/providerErrors.ts';
import type { ProviderRegistry } from '../providers/registry.ts';

/**
 * The outbox's sender for an account: its provider's, opened on first use (a
 * queued message does not need a session until delivery). Whether a failed
 * send may be retried is decided here, the same for every provider: network
 * failures, 429 and 5xx retry; a refusal (any other status, or a classified
 * provider error) is final.
 */
export function accountSendProvider(account: AccountRow, providers: ProviderRegistry): MailSender {
  let opened: Promise<MailSender> | null = null;
  const open = (): Promise<MailSender> => {
    opened ??= providers.of(account).session(account).sender();
    opened.catch(() => {
      opened = null;
    });
    return opened;
  };
  return {
    send: async (raw, options) => (await open()).send(raw, options),
    findSent: async (id) => (await open()).findSent(id),
    classify: (error) => {
      if (error instanceof ProviderError)
        return error.code === 'network_error' ? { kind: 'retry', reason: 'network' } : { kind: 'fatal' };
      const status =
        (error as { response?: { status?: number }; status?: number }).response?.status ?? (error as { status?: number }).status;
      if (status === 429 || (status !== undefined && status >= 500)) return { kind: 'retry', reason: String(status) };
      if (status === undefined) return { kind: 'retry', reason: 'network' };
      return { kind: 'fatal' };
    },
  };
}
