import { type Credentials, OAuth2Client } from 'google-auth-library';
import { type gmail_v1, google } from 'googleapis';
import type { GoogleConfig } from '../../auth/providerConfig.ts';
import type { TokenVault } from '../../auth/tokenVault.ts';
import { QuotaBucket } from '../../sync/quotaBucket.ts';
import { ProviderError } from '../providerErrors.ts';

export const GOOGLE_TOKENS = 'google.tokens';

/** Everything a Gmail sync of one account needs: the authorized client, the raw root URL (batch) and the quota pacer. */
export interface GmailSession {
  gmail: gmail_v1.Gmail;
  oauth: OAuth2Client;
  apiRootUrl: string;
  quota: QuotaBucket;
}

export interface GmailQuotaSettings {
  /** Gmail's per-user limit is 250 units/s; Outpost aims just under it. */
  unitsPerSecond: number;
  burst: number;
}

export const DEFAULT_GMAIL_QUOTA: GmailQuotaSettings = { unitsPerSecond: 245, burst: 125 };

/**
 * OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND replaces the pacing rate: for a Google
 * project granted a higher per-user quota, or an emulator with quota off.
 */
export function gmailQuotaFromEnv(env: NodeJS.ProcessEnv = process.env): GmailQuotaSettings {
  const rate = Number(env.OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND);
  if (!Number.isFinite(rate) || rate <= 0) return DEFAULT_GMAIL_QUOTA;
  return { unitsPerSecond: rate, burst: Math.max(DEFAULT_GMAIL_QUOTA.burst, Math.ceil(rate / 2)) };
}

export function newGoogleOAuthClient(config: GoogleConfig, redirectUri?: string): OAuth2Client {
  return new OAuth2Client({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri,
    endpoints: { oauth2AuthBaseUrl: config.authUrl, oauth2TokenUrl: config.tokenUrl, oauth2RevokeUrl: config.revokeUrl },
    // Refresh a little before expiry so a long page of requests never runs on a dying token,
    // and on a 401 even when the token looks valid (revoked or expired early at Google).
    eagerRefreshThresholdMillis: 2 * 60_000,
    forceRefreshOnFailure: true,
  });
}

/**
 * Builds the session from the vault. Refreshed tokens are written back as
 * they arrive, so a restart never reuses a stale access token or loses a
 * rotated refresh token.
 */
export function openGmailSession(
  config: GoogleConfig,
  vault: TokenVault,
  accountId: string,
  quota: GmailQuotaSettings = DEFAULT_GMAIL_QUOTA,
): GmailSession {
  const stored = vault.get(accountId, GOOGLE_TOKENS);
  if (!stored) throw new ProviderError('not_connected', 'this Google account has no stored sign-in; connect it again');
  const credentials = JSON.parse(stored) as Credentials;
  if (!credentials.refresh_token)
    throw new ProviderError('not_connected', 'this Google account has no refresh token; connect it again');
  const oauth = newGoogleOAuthClient(config);
  oauth.setCredentials(credentials);
  oauth.on('tokens', (fresh: Credentials) => {
    const merged = { ...credentials, ...fresh, refresh_token: fresh.refresh_token ?? credentials.refresh_token };
    Object.assign(credentials, merged);
    vault.put(accountId, GOOGLE_TOKENS, JSON.stringify(merged));
  });
  return {
    gmail: google.gmail({ version: 'v1', auth: oauth, rootUrl: config.apiRootUrl }),
    oauth,
    apiRootUrl: config.apiRootUrl,
    quota: new QuotaBucket(quota),
  };
}

/**
 * Makes the next getAccessToken() refresh. google-auth-library treats a
 * falsy expiry_date as "never expires", so the past must be a real instant.
 */
export function expireAccessToken(session: GmailSession): void {
  session.oauth.credentials.expiry_date = 1;
}
