import { randomBytes } from 'node:crypto';
import { gmail } from '@googleapis/gmail';
import { CodeChallengeMethod } from 'google-auth-library';
import { startLoopbackRedirect } from '../../auth/loopbackRedirect.ts';
import { GOOGLE_SCOPES, type GoogleConfig } from '../../auth/providerConfig.ts';
import type { TokenVault } from '../../auth/tokenVault.ts';
import type { WritableDb } from '../../db/handles.ts';
import { type AccountRow, activateAccount, ensureAccount } from '../../db/queries/accounts.ts';
import { transaction } from '../../db/transactions.ts';
import type { ConnectOptions } from '../accountProvider.ts';
import { ProviderError } from '../providerErrors.ts';
import { GOOGLE_TOKENS, newGoogleOAuthClient } from './gmailSession.ts';

/**
 * Connects a Gmail account as an installed app: the consent page in the
 * user's browser, the redirect to a one-shot listener on 127.0.0.1 (random
 * port), PKCE S256 and a random state, offline access for a refresh token.
 * The tokens go to the vault; the account row is created or reactivated.
 */
export async function connectGoogle(
  db: WritableDb,
  vault: TokenVault,
  config: GoogleConfig,
  options: ConnectOptions,
): Promise<AccountRow> {
  const state = randomBytes(24).toString('base64url');
  const loopback = await startLoopbackRedirect(state, { signal: options.signal, timeoutMs: options.timeoutMs });
  try {
    const client = newGoogleOAuthClient(config, loopback.redirectUri);
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent', // so Google returns a refresh token even when the user connected before
      scope: GOOGLE_SCOPES,
      state,
      code_challenge_method: CodeChallengeMethod.S256,
      code_challenge: codeChallenge,
      include_granted_scopes: true,
    });
    await options.openBrowser(url);
    const code = await loopback.code;
    const { tokens } = await client.getToken({ code, codeVerifier, redirect_uri: loopback.redirectUri });
    if (!tokens.refresh_token)
      throw new ProviderError('needs_reauth', 'Google did not grant offline access (no refresh token); try connecting again');
    client.setCredentials(tokens);
    const profile = await gmail({ version: 'v1', auth: client, rootUrl: config.apiRootUrl }).users.getProfile({ userId: 'me' });
    const email = profile.data.emailAddress;
    if (!email) throw new ProviderError('provider_error', 'Gmail did not say which address was connected');
    return transaction(db, () => {
      const account = ensureAccount(db, 'gmail', email);
      vault.put(account.id, GOOGLE_TOKENS, JSON.stringify(tokens));
      activateAccount(db, account.id);
      return { ...account, status: 'active' as const };
    });
  } finally {
    loopback.close();
  }
}
