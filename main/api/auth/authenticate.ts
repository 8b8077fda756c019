import type { FastifyRequest } from 'fastify';
import { OutpostError } from '../../core/outpostError.ts';
import type { WritableDb } from '../../db/handles.ts';
import { findApiKey, SCOPES, type Scope } from './apiKeys.ts';
import { refuseCrossOrigin } from './originCheck.ts';
import { findSession } from './sessions.ts';

export const SESSION_COOKIE = 'authjs.session-token';
/** The gmail-connections reference authenticates with this header instead of Authorization. */
export const DOLFIN_KEY_HEADER = 'x-dolfin-api-key';

interface PrincipalBase {
  /** Stable id for per-principal state (rate limits, idempotency records): `key_...` or `session`. */
  id: string;
  isAdmin: boolean;
  scopes: readonly Scope[];
}

/** Who is calling, and what a long-lived request (the event stream) re-checks to know it still may. */
export type Principal =
  | (PrincipalBase & { kind: 'key' })
  | (PrincipalBase & { kind: 'session'; tokenSha256: string; expiresAt: number });

/** The token a request presents, and how: in a header the caller set, or in the cookie a browser adds by itself. */
interface PresentedToken {
  token: string;
  via: 'authorization' | 'dolfin-header' | 'cookie';
}

const READ_SCOPES: readonly Scope[] = ['read:email', 'read:calendar'];

/**
 * Who is calling: an API key (`Authorization: Bearer wbk_...` or
 * `x-dolfin-api-key: wbk_...`) or a session (`Bearer ses_...` or the
 * `authjs.session-token` cookie). Admin sessions carry every scope; other
 * sessions (the UI) read only. Runs once per request, in the API's
 * preValidation hook (main/api/auth/routeAuth.ts); a key's use is recorded
 * through the writer. Sessions and the cookie sent by a page of another origin
 * were refused before (refuseCrossOriginSession).
 */
export function authenticate(db: WritableDb, request: FastifyRequest): Principal {
  const presented = presentedToken(request);
  if (!presented)
    throw new OutpostError('invalid_key', 'missing credentials: send Authorization: Bearer <API key or session token>');
  const { token } = presented;
  if (token.startsWith('wbk_')) {
    const key = findApiKey(db, token);
    if (!key) throw new OutpostError('invalid_key', 'invalid, revoked or expired API key');
    return { kind: 'key', id: key.id, isAdmin: key.scopes.includes('admin'), scopes: key.scopes };
  }
  const session = findSession(db, token);
  if (!session) throw new OutpostError('invalid_key', 'invalid or expired API key or session');
  return {
    kind: 'session',
    id: 'session',
    isAdmin: session.isAdmin,
    scopes: session.isAdmin ? SCOPES : READ_SCOPES,
    tokenSha256: session.tokenSha256,
    expiresAt: session.expiresAt,
  };
}

/**
 * Refuses (403 cross_origin_refused) a session, or anything in the cookie,
 * that a page of another origin made the browser send (originCheck.ts): the
 * UI's credentials, which only its own pages use. Runs as the request
 * arrives, before its body is read or its credential looked up.
 *
 * An API key in a header is let through whatever its Origin: a browser never
 * adds one by itself, a page of another origin cannot read it, and a
 * cross-origin fetch() carrying one needs a CORS preflight this API never
 * grants; so what sends one with an Origin header is a script or tool the
 * key's owner runs.
 */
export function refuseCrossOriginSession(request: FastifyRequest): void {
  const presented = presentedToken(request);
  if (presented && (presented.via === 'cookie' || !presented.token.startsWith('wbk_'))) refuseCrossOrigin(request.headers);
}

/** 403 insufficient_permissions naming the scope when the principal lacks it (admin has every scope). */
export function requireScope(principal: Principal, scope: Scope): void {
  if (!principal.scopes.includes(scope) && !principal.scopes.includes('admin'))
    throw new OutpostError(
      'insufficient_permissions',
      `this ${principal.kind === 'key' ? 'API key' : 'session'} lacks the ${scope} scope`,
    );
}

/** The session token the request presents (header or cookie), or null when it presents an API key or nothing. */
export function presentedSessionToken(request: FastifyRequest): string | null {
  const presented = presentedToken(request);
  return presented && !presented.token.startsWith('wbk_') ? presented.token : null;
}

function presentedToken(request: FastifyRequest): PresentedToken | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new OutpostError('invalid_key', 'Authorization header must be "Bearer <token>"');
    return { token: match[1], via: 'authorization' };
  }
  const dolfin = request.headers[DOLFIN_KEY_HEADER];
  if (typeof dolfin === 'string' && dolfin) return { token: dolfin, via: 'dolfin-header' };
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}
