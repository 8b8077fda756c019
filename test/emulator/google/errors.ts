import { type EmulatorReply, HttpError } from '../kit/types.ts';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'ALREADY_EXISTS',
  410: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** Reasons whose canonical status is not the HTTP code's usual one (e.g. 400 failedPrecondition). */
const REASON_STATUS: Record<string, string> = {
  failedPrecondition: 'FAILED_PRECONDITION',
  userRateLimitExceeded: 'PERMISSION_DENIED',
  rateLimitExceeded: 'RESOURCE_EXHAUSTED',
};

/** Google's JSON error body (the shape googleapis turns into GaxiosError with .errors). */
export function googleErrorReply(
  code: number,
  reason: string,
  message: string,
  extra: {
    location?: string;
    locationType?: string;
    details?: object[];
    domain?: string;
    /** errors[0].message when it differs from the top-level one (401 "Invalid Credentials", 403 "Insufficient Permission"). */
    itemMessage?: string;
  } = {},
): EmulatorReply {
  const item: Record<string, string> = { message: extra.itemMessage ?? message, domain: extra.domain ?? 'global', reason };
  if (extra.location) item.location = extra.location;
  if (extra.locationType) item.locationType = extra.locationType;
  const status = REASON_STATUS[reason] ?? STATUS_NAMES[code] ?? 'UNKNOWN';
  const error: Record<string, unknown> = { code, message, errors: [item], status };
  if (extra.details) error.details = extra.details;
  return { status: code, body: { error } };
}

export function googleError(...args: Parameters<typeof googleErrorReply>): HttpError {
  return new HttpError(googleErrorReply(...args));
}

export const notFound = () => googleError(404, 'notFound', 'Requested entity was not found.');
export const badRequest = (message: string) => googleError(400, 'invalidArgument', message);

/**
 * Gmail message and thread ids are 64-bit integers in hex: an id that does not parse as one
 * (not hex, longer than 16 digits, or beyond the signed range) is 400 "Invalid id value";
 * one that parses but names nothing is 404.
 */
export function checkGmailId(id: string): void {
  if (!/^[0-9a-f]{1,16}$/i.test(id) || (id.length === 16 && Number.parseInt(id[0] as string, 16) > 7)) {
    throw googleError(400, 'invalidArgument', 'Invalid id value');
  }
}

/** ESF's wording for a query parameter that does not parse as its type. */
export function invalidParameter(name: string, type: string, raw: string): HttpError {
  const field = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return googleError(400, 'invalidArgument', `Invalid value at '${field}' (${type}), "${raw}"`);
}

export function invalidCredentials(): HttpError {
  return new HttpError({
    ...googleErrorReply(
      401,
      'authError',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      { location: 'Authorization', locationType: 'header', itemMessage: 'Invalid Credentials' },
    ),
    headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  });
}

/** 403 for a token without any scope the method accepts; the header lists them as RFC 6750 asks. */
export function insufficientScopes(service: string, method: string, accepted: readonly string[]): HttpError {
  return new HttpError({
    ...googleErrorReply(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', {
      itemMessage: 'Insufficient Permission',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
          domain: 'googleapis.com',
          metadata: { service, method },
        },
      ],
    }),
    headers: {
      'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${accepted.join(' ')}"`,
    },
  });
}

/** OAuth endpoints answer with RFC 6749 bodies, not the API error shape. */
export function oauthError(status: number, error: string, description: string): HttpError {
  return new HttpError({ status, body: { error, error_description: description } });
}
