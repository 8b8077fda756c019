/**
 * Where each provider lives and which OAuth client Outpost uses with it.
 * Defaults are the real services; every URL can be pointed elsewhere (the
 * test emulator, a proxy) through the environment or settings.
 */
export interface GoogleConfig {
  clientId: string;
  /** Google issues a "secret" to installed apps too; it is not confidential there. */
  clientSecret: string | undefined;
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** googleapis rootUrl: Gmail at <root>gmail/v1/..., Calendar at <root>calendar/v3/..., batch at <root>batch/gmail/v1 */
  apiRootUrl: string;
}

export interface MicrosoftConfig {
  clientId: string;
  /** e.g. https://login.microsoftonline.com/common */
  authority: string;
  /** Authorities msal-node may trust without instance discovery (the emulator's host:port). */
  knownAuthorities: string[];
  /** e.g. https://graph.microsoft.com/v1.0 */
  graphBaseUrl: string;
}

export interface ProviderConfig {
  google: GoogleConfig | null;
  microsoft: MicrosoftConfig | null;
}

export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/gmail.modify', // read, label, send; never permanent delete
  'https://www.googleapis.com/auth/calendar.readonly', // calendarList and every calendar's events
  'https://www.googleapis.com/auth/calendar.events', // answering invitations (events.patch of one's own attendee)
];

/** What syncing and sending use: every account connected so far consented to these. */
export const GRAPH_SYNC_SCOPES = ['Mail.ReadWrite', 'Mail.Send', 'Calendars.Read', 'User.Read'];

/**
 * What connecting asks for: the sync scopes, and Calendars.ReadWrite to answer invitations (accept,
 * tentativelyAccept, decline). Only that answer asks for a token with it, so an account connected
 * before it was asked for keeps syncing, and is told to reconnect when it answers an invitation.
 */
export const MICROSOFT_SCOPES = [...GRAPH_SYNC_SCOPES, 'Calendars.ReadWrite', 'offline_access'];
export const GRAPH_RESPOND_SCOPES = [...GRAPH_SYNC_SCOPES, 'Calendars.ReadWrite'];

/** Providers whose client id is configured; the others cannot be connected (and say so). */
export function providerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderConfig {
  const googleId = env.OUTPOST_GOOGLE_CLIENT_ID;
  const microsoftId = env.OUTPOST_MICROSOFT_CLIENT_ID;
  const authority = env.OUTPOST_MICROSOFT_AUTHORITY ?? 'https://login.microsoftonline.com/common';
  return {
    google: googleId
      ? {
          clientId: googleId,
          clientSecret: env.OUTPOST_GOOGLE_CLIENT_SECRET,
          authUrl: env.OUTPOST_GOOGLE_AUTH_URL ?? 'https://accounts.google.com/o/oauth2/v2/auth',
          tokenUrl: env.OUTPOST_GOOGLE_TOKEN_URL ?? 'https://oauth2.googleapis.com/token',
          revokeUrl: env.OUTPOST_GOOGLE_REVOKE_URL ?? 'https://oauth2.googleapis.com/revoke',
          apiRootUrl: withSlash(env.OUTPOST_GOOGLE_API_ROOT ?? 'https://gmail.googleapis.com/'),
        }
      : null,
    microsoft: microsoftId
      ? {
          clientId: microsoftId,
          authority,
          knownAuthorities: env.OUTPOST_MICROSOFT_KNOWN_AUTHORITIES?.split(',').filter(Boolean) ?? [],
          graphBaseUrl: (env.OUTPOST_GRAPH_BASE_URL ?? 'https://graph.microsoft.com/v1.0').replace(/\/$/, ''),
        }
      : null,
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
