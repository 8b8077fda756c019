import type { FastifyRequest } from 'fastify';
import type { IndexDb } from '../../db/openIndex.ts';
import { ApiError } from '../errors.ts';
import { findSession } from './sessions.ts';

export const SESSION_COOKIE = 'authjs.session-token';

export interface Principal {
  kind: 'session';
  isAdmin: boolean;
}

/**
 * Who is calling: a session presented as the `authjs.session-token` cookie or
 * as `Authorization: Bearer ses_...`. (API keys, `wbk_...`, arrive with the
 * local API issue and plug in here.)
 */
export function authenticate(db: IndexDb, request: FastifyRequest): Principal {
  const token = presentedToken(request);
  if (!token) throw new ApiError('invalid_key', 'missing credentials: send Authorization: Bearer <key or session token>');
  const session = findSession(db, token);
  if (!session) throw new ApiError('invalid_key', 'invalid or expired API key or session');
  return { kind: 'session', isAdmin: session.isAdmin };
}

function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError('invalid_key', 'Authorization header must be "Bearer <token>"');
    return match[1] ?? null;
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie ?? null;
}
