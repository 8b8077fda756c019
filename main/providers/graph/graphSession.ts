import { newMsalClient, VaultCachePlugin } from '../../auth/msalClient.ts';
import type { MicrosoftConfig } from '../../auth/providerConfig.ts';
import type { TokenVault } from '../../auth/tokenVault.ts';
import type { Log } from '../../core/log.ts';
import { MSAL_HOME_ACCOUNT } from '.././graph/graphConnect.ts';
import { ProviderError } from '../providerErrors.ts';
import { GraphClient } from './graphClient.ts';

/** A Graph client for a connected account, its tokens from the vault-backed msal cache. */
export async function openGraphClient(
  config: MicrosoftConfig,
  vault: TokenVault,
  accountId: string,
  options: { log: Log; signal?: AbortSignal | undefined; scopes?: readonly string[] | undefined },
): Promise<GraphClient> {
  const homeAccountId = vault.get(accountId, MSAL_HOME_ACCOUNT);
  if (!homeAccountId) throw new ProviderError('not_connected', 'this Microsoft account has no stored sign-in; connect it again');
  const msal = await newMsalClient(config, new VaultCachePlugin(vault, accountId));
  const account = await msal.getTokenCache().getAccountByHomeId(homeAccountId);
  if (!account) throw new ProviderError('needs_reauth', 'the stored Microsoft sign-in is gone; reconnect the account');
  return new GraphClient({ msal, account, baseUrl: config.graphBaseUrl, ...options });
}
