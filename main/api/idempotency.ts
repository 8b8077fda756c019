import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OutpostError } from '../core/outpostError.ts';
import type { WritableDb } from '../db/handles.ts';
import {
  claimIdempotencyKey,
  type IdempotencyKey,
  releaseIdempotencyKey,
  storeIdempotentResponse,
} from '../db/queries/idempotency.ts';
import { principalOf } from './auth/routeAuth.ts';

const WINDOW_MS = 24 * 3600_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Header a replayed response carries, so a client can tell a replay from a fresh result. */
export const REPLAY_HEADER = 'Idempotent-Replayed';

const pending = new WeakMap<FastifyRequest, IdempotencyKey>();

/**
 * Idempotency-Key for routes with `config: { idempotent: true }`: within 24 h,
 * the same key and payload (per principal and route) replays the first 2xx
 * response; another payload is 409 idempotency_conflict, and so is a duplicate
 * that arrives while the first is still running. Non-2xx answers are not kept,
 * so a failed request can be retried with the same key.
 */
export function idempotencyHooks(db: WritableDb) {
  return {
    async preHandler(request: FastifyRequest, reply: FastifyReply) {
      if (!request.routeOptions.config.idempotent) return;
      const raw = request.headers['idempotency-key'];
      if (raw === undefined) return;
      if (typeof raw !== 'string' || !KEY_PATTERN.test(raw))
        throw new OutpostError('validation_error', 'Idempotency-Key must be 1-255 printable ASCII characters', {
          field: 'Idempotency-Key',
        });
      const principal = principalOf(request).id;
      const route = `${request.method} ${request.url}`;
      const hash = createHash('sha256')
        .update(JSON.stringify(request.body ?? null))
        .digest('hex');
      const now = Date.now();
      const id = { principal, route, key: raw };
      const stored = claimIdempotencyKey(db, id, { sha256: hash, now, expiresBefore: now - WINDOW_MS });
      if (!stored) {
        pending.set(request, id);
        return;
      }
      if (stored.request_sha256 !== hash)
        throw new OutpostError('idempotency_conflict', 'this Idempotency-Key was already used with a different payload', {
          field: 'Idempotency-Key',
        });
      if (stored.status === null)
        throw new OutpostError('idempotency_conflict', 'a request with this Idempotency-Key is still in progress; retry shortly');
      const headers = JSON.parse(stored.headers_json ?? '{}') as Record<string, string>;
      void reply
        .status(stored.status)
        .headers(headers)
        .header(REPLAY_HEADER, 'true')
        .header('content-type', 'application/json; charset=utf-8')
        .send(stored.body);
      return reply;
    },

    async onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
      const record = pending.get(request);
      if (!record) return payload;
      pending.delete(request);
      if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
        const location = reply.getHeader('location');
        storeIdempotentResponse(db, record, {
          status: reply.statusCode,
          headersJson: JSON.stringify(location ? { location: String(location) } : {}),
          body: payload,
        });
      } else {
        releaseIdempotencyKey(db, record);
      }
      return payload;
    },
  };
}
