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

/** Google's JSON error body (the shape googleapis turns into GaxiosError with .errors). */
export function googleErrorReply(
  code: number,
  reason: string,
  message: string,
  extra: { location?: string; locationType?: string; details?: object[]; domain?: string } = {},
): EmulatorReply {
  const item: Record<string, string> = { message, domain: extra.domain ?? 'global', reason };
  if (extra.location) item.location = extra.location;
  if (extra.locationType) item.locationType = extra.locationType;
  const error: Record<string, unknown> = { code, message, errors: [item], status: STATUS_NAMES[code] ?? 'UNKNOWN' };
  if (extra.details) error.details = extra.details;
  return { status: code, body: { error } };
}

export function googleError(...args: Parameters<typeof googleErrorReply>): HttpError {
  return new HttpError(googleErrorReply(...args));
}

export const notFound = () => googleError(404, 'notFound', 'Requested entity was not found.');
export const badRequest = (message: string) => googleError(400, 'invalidArgument', message);

export function invalidCredentials(): HttpError {
  return new HttpError({
    ...googleErrorReply(
      401,
      'authError',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      { location: 'Authorization', locationType: 'header' },
    ),
    headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  });
}

export function insufficientScopes(service: string, method: string): HttpError {
  return new HttpError({
    ...googleErrorReply(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', {
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
          domain: 'googleapis.com',
          metadata: { service, method },
        },
      ],
    }),
    headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="insufficient_scope"' },
  });
}

/** OAuth endpoints answer with RFC 6749 bodies, not the API error shape. */
export function oauthError(status: number, error: string, description: string): HttpError {
  return new HttpError({ status, body: { error, error_description: description } });
}
