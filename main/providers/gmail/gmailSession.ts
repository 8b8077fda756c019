import { gmail, type gmail_v1 } from '@googleapis/gmail';
import { type Credentials, type gaxios, OAuth2Client } from 'google-auth-library';
import type { GoogleConfig } from '../../auth/providerConfig.ts';
import type { TokenVault } from '../../auth/tokenVault.ts';
import type { Log } from '../../core/log.ts';
import { QuotaWindow } from '../../sync/quotaWindow.ts';
import { ProviderError } from '../providerErrors.ts';

export const GOOGLE_TOKENS = 'google.tokens';

/** Everything a Gmail call of one account needs: the authorized client, the raw root URL (batch), the quota pacer and the log. */
export interface GmailSession {
  gmail: gmail_v1.Gmail;
  oauth: OAuth2Client;
  apiRootUrl: string;
  /** The account's share of Gmail's per-user quota: one window per account, whatever runs (sync, send, calendar). */
  quota: QuotaWindow;
  log: Log;
  /** messages.get parts in flight at once, once Gmail answered "Too many concurrent requests for user" (gmailFetch). */
  partsAtOnce?: number;
}

export interface GmailQuotaSettings {
  /** Gmail's per-user limit: 250 units per user per moving second. */
  unitsPerSecond: number;
  /**
   * How much longer than a second the client's window starts (default 10 ms,
   * so at most 1000 / 1010 = 99 % of the quota is reachable); every 429 widens
   * it by 10 ms more (QuotaWindow.rateLimited), absorbing the network's jitter.
   */
  windowMarginMs?: number;
}

export const DEFAULT_GMAIL_QUOTA: GmailQuotaSettings = { unitsPerSecond: 250, windowMarginMs: 10 };

/**
 * OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND replaces the per-user limit paced to:
 * for a Google project granted a higher quota, or an emulator with quota off.
 */
export function gmailQuotaFromEnv(env: NodeJS.ProcessEnv = process.env): GmailQuotaSettings {
  const rate = Number(env.OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND);
  if (!Number.isFinite(rate) || rate <= 0) return DEFAULT_GMAIL_QUOTA;
  return { ...DEFAULT_GMAIL_QUOTA, unitsPerSecond: rate };
}

export function newGoogleOAuthClient(config: GoogleConfig, redirectUri?: string): OAuth2Client {
  return new RefreshOn401Client({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri,
    endpoints: { oauth2AuthBaseUrl: config.authUrl, oauth2TokenUrl: config.tokenUrl, oauth2RevokeUrl: config.revokeUrl },
    // Refresh a little before expiry so a long page of requests never runs on a dying token.
    eagerRefreshThresholdMillis: 2 * 60_000,
  });
}

/**
 * Refreshes the access token and asks once more when Google answers 401 to a token that looks
 * valid (revoked or expired early at Google). google-auth-library's own `forceRefreshOnFailure`
 * does this for 403 too, and Google's 403s are about quota and rate (userRateLimitExceeded,
 * dailyLimitExceeded) or scopes, never the token: it would refresh the token and send every
 * refused call twice, hammering a limit that asks for less.
 */
class RefreshOn401Client extends OAuth2Client {
  protected override async requestAsync<T>(opts: gaxios.GaxiosOptions, reAuthRetried = false): Promise<gaxios.GaxiosResponse<T>> {
    try {
      return await super.requestAsync<T>(opts, reAuthRetried);
    } catch (error) {
      const status = (error as { response?: { status?: number } }).response?.status;
      const replayable = !(opts.data && typeof (opts.data as { pipe?: unknown }).pipe === 'function');
      if (reAuthRetried || status !== 401 || !replayable || !this.credentials.refresh_token) throw error;
      this.credentials.expiry_date = 1; // a real past instant: the next request refreshes first
      return super.requestAsync<T>(opts, true);
    }
  }
}

/** A pacer for one account's Gmail quota (GmailQuotaSettings). */
export function gmailQuotaWindow(quota: GmailQuotaSettings = DEFAULT_GMAIL_QUOTA): QuotaWindow {
  return new QuotaWindow({ unitsPerWindow: quota.unitsPerSecond, windowMs: 1000 + (quota.windowMarginMs ?? 10) });
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
  quota: QuotaWindow,
  log: Log,
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
    gmail: gmail({ version: 'v1', auth: oauth, rootUrl: config.apiRootUrl }),
    oauth,
    apiRootUrl: config.apiRootUrl,
    quota,
    log,
  };
}

/**
 * Makes the next getAccessToken() refresh. google-auth-library treats a
 * falsy expiry_date as "never expires", so the past must be a real instant.
 */
export function expireAccessToken(session: GmailSession): void {
  session.oauth.credentials.expiry_date = 1;
}
