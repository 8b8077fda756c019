import type { ProviderConfig } from '../auth/providerConfig.ts';
import type { TokenVault } from '../auth/tokenVault.ts';
import type { AccountRow } from '../db/queries/accounts.ts';
import { gmailSendProvider } from '../providers/gmail/gmailSendProvider.ts';
import { openGmailSession } from '../providers/gmail/gmailSession.ts';
import { graphSendProvider } from '../providers/graph/graphSendProvider.ts';
import { openGraphClient } from '../providers/graph/graphSession.ts';
import { ProviderError } from '../providers/providerErrors.ts';
import type { SendProvider } from './outbox.ts';

/** The account's provider, opened on first use (a queued message does not need a session until delivery). */
export function accountSendProvider(account: AccountRow, providers: ProviderConfig, vault: TokenVault): SendProvider {
  let opened: Promise<SendProvider> | null = null;
  const open = (): Promise<SendProvider> => {
    opened ??= (async () => {
      if (account.provider === 'gmail' && providers.google)
        return gmailSendProvider(openGmailSession(providers.google, vault, account.id));
      if (account.provider === 'microsoft' && providers.microsoft) {
        return graphSendProvider(await openGraphClient(providers.microsoft, vault, account.id));
      }
      throw new ProviderError('not_connected', `${account.email} cannot send: its provider is not configured`);
    })();
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
