import type { FastifyRequest } from 'fastify';
import { OutpostError } from '../../core/outpostError.ts';
import type { WritableDb } from '../../db/handles.ts';
import { findApiKey, SCOPES, type Scope } from './apiKeys.ts';
import { findSession } from './sessions.ts';

export const SESSION_COOKIE = 'authjs.session-token';
/** The gmail-connections reference authenticates with this header instead of Authorization. */
export const DOLFIN_KEY_HEADER = 'x-dolfin-api-key';

export interface Principal {
  kind: 'session' | 'key';
  /** Stable id for per-principal state (rate limits, idempotency records): `key_...` or `session`. */
  id: string;
  isAdmin: boolean;
  scopes: readonly Scope[];
}

const READ_SCOPES: readonly Scope[] = ['read:email', 'read:calendar'];

/**
 * Who is calling: an API key (`Authorization: Bearer wbk_...` or
 * `x-dolfin-api-key: wbk_...`) or a session (`Bearer ses_...` or the
 * `authjs.session-token` cookie). Admin sessions carry every scope; other
 * sessions (the UI) read only. Runs once per request, in the API's
 * preValidation hook (main/api/auth/routeAuth.ts); a key's use is recorded
 * through the writer.
 */
export function authenticate(db: WritableDb, request: FastifyRequest): Principal {
  const token = presentedToken(request);
  if (!token) throw new OutpostError('invalid_key', 'missing credentials: send Authorization: Bearer <API key or session token>');
  if (token.startsWith('wbk_')) {
    const key = findApiKey(db, token);
    if (!key) throw new OutpostError('invalid_key', 'invalid, revoked or expired API key');
    return { kind: 'key', id: key.id, isAdmin: key.scopes.includes('admin'), scopes: key.scopes };
  }
  const session = findSession(db, token);
  if (!session) throw new OutpostError('invalid_key', 'invalid or expired API key or session');
  return { kind: 'session', id: 'session', isAdmin: session.isAdmin, scopes: session.isAdmin ? SCOPES : READ_SCOPES };
}

/** 403 insufficient_permissions naming the scope when the principal lacks it (admin has every scope). */
export function requireScope(principal: Principal, scope: Scope): void {
  if (!principal.scopes.includes(scope) && !principal.scopes.includes('admin'))
    throw new OutpostError(
      'insufficient_permissions',
      `this ${principal.kind === 'key' ? 'API key' : 'session'} lacks the ${scope} scope`,
    );
}

function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new OutpostError('invalid_key', 'Authorization header must be "Bearer <token>"');
    return match[1] ?? null;
  }
  const dolfin = request.headers[DOLFIN_KEY_HEADER];
  if (typeof dolfin === 'string' && dolfin) return dolfin;
  return request.cookies?.[SESSION_COOKIE] ?? null;
}
