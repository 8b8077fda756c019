import { newMsalClient, VaultCachePlugin } from '../../auth/msalClient.ts';
import { MICROSOFT_SCOPES, type MicrosoftConfig } from '../../auth/providerConfig.ts';
import type { TokenVault } from '../../auth/tokenVault.ts';
import type { WritableDb } from '../../db/handles.ts';
import { type AccountRow, activateAccount, ensureAccount } from '../../db/queries/accounts.ts';
import { transaction } from '../../db/transactions.ts';
import type { ConnectOptions } from '../accountProvider.ts';
import { ProviderError } from '../providerErrors.ts';

export const MSAL_HOME_ACCOUNT = 'msal.home_account_id';

const PAGE = (title: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:system-ui;margin:4em;text-align:center"><h1>${title}</h1><p>You can close this window.</p></body>`;

/**
 * Connects a Microsoft 365 / Outlook account with msal-node's interactive
 * flow: its loopback listener on 127.0.0.1, PKCE, and our openBrowser. The
 * token cache (with the refresh token) is kept in the vault, encrypted.
 */
export async function connectMicrosoft(
  db: WritableDb,
  vault: TokenVault,
  config: MicrosoftConfig,
  options: ConnectOptions,
): Promise<AccountRow> {
  const cache = new VaultCachePlugin(vault, null);
  const msal = await newMsalClient(config, cache);
  const result = await msal.acquireTokenInteractive({
    scopes: MICROSOFT_SCOPES,
    openBrowser: options.openBrowser,
    successTemplate: PAGE('Outpost is connected'),
    errorTemplate: PAGE('Sign-in failed'),
    prompt: 'select_account',
  });
  if (!result.account) throw new ProviderError('provider_error', 'Microsoft did not return the signed-in account');
  // Every Graph request asks for immutable ids (GraphClient's rule), this one too.
  const me = await fetch(`${config.graphBaseUrl}/me?$select=mail,userPrincipalName,displayName`, {
    headers: { authorization: `Bearer ${result.accessToken}`, prefer: 'IdType="ImmutableId"' },
  });
  if (!me.ok) throw new ProviderError('provider_error', `Graph /me answered ${me.status}`, me.status);
  const profile = (await me.json()) as { mail?: string | null; userPrincipalName?: string; displayName?: string };
  const email = profile.mail ?? profile.userPrincipalName ?? result.account.username;
  if (!email) throw new ProviderError('provider_error', 'Microsoft did not say which address was connected');
  return transaction(db, () => {
    const account = ensureAccount(db, 'microsoft', email, profile.displayName ?? null);
    cache.attach(account.id);
    vault.put(account.id, MSAL_HOME_ACCOUNT, result.account?.homeAccountId ?? '');
    activateAccount(db, account.id);
    return { ...account, status: 'active' as const };
  });
}
