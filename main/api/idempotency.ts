import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OutpostError } from '../core/outpostError.ts';
import type { WritableDb } from '../db/handles.ts';
import {
  claimIdempotencyKey,
  type IdempotencyKey,
  releaseIdempotencyKey,
  storeIdempotentResponse,
  takeOverIdempotencyKey,
} from '../db/queries/idempotency.ts';

export const IDEMPOTENCY_WINDOW_MS = 24 * 3600_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Header a replayed response carries, so a client can tell a replay from a fresh result. */
export const REPLAY_HEADER = 'Idempotent-Replayed';

/** What a route that takes an Idempotency-Key can add to the generic rules (`config.idempotent`). */
export interface IdempotentRoute {
  /** The answer as it is now, for a stored one (a send answered "queued" may have been sent since). */
  refresh?(storedBody: string): string;
  /**
   * The true outcome of a request that died with an earlier process (its record has no answer):
   * what to answer its retry, or null to let the retry run as a new request.
   */
  recover?(key: string, since: number): { status: number; body: string } | null;
}

const pending = new WeakMap<FastifyRequest, IdempotencyKey>();

/**
 * Idempotency-Key for routes with `config.idempotent`. Keys are one namespace
 * per route for the whole workspace (any API key or session): within 24 h the
 * same key with the same request (body keys in any order, same query string)
 * replays the first 2xx answer, as it is now for routes that can tell (a
 * send's state); another request with the key is 409 idempotency_conflict,
 * and so is a duplicate that arrives while the first is still running. An
 * answer that is not 2xx releases the key: the request was refused before
 * anything was done, so the same key may be used again. A record left without
 * an answer by a process that died is settled when its key comes back: from
 * what the route finds the request did (`recover`), or released.
 */
export function idempotencyHooks(db: WritableDb, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  // Records without an answer from before this moment belong to a process that is gone.
  const startedAt = now();
  return {
    async preHandler(request: FastifyRequest, reply: FastifyReply) {
      const config = request.routeOptions.config.idempotent;
      if (!config) return;
      const key = request.headers['idempotency-key'];
      if (key === undefined) return;
      if (typeof key !== 'string' || !KEY_PATTERN.test(key))
        throw new OutpostError('validation_error', 'Idempotency-Key must be 1-255 printable ASCII characters', {
          field: 'Idempotency-Key',
        });
      const route = typeof config === 'object' ? config : {};
      const id: IdempotencyKey = { route: `${request.method} ${request.url.split('?')[0]}`, key };
      const hash = requestHash(request);
      let stored = claimIdempotencyKey(db, id, {
        sha256: hash,
        now: now(),
        expiresBefore: now() - IDEMPOTENCY_WINDOW_MS,
      });
      if (stored && stored.request_sha256 !== hash)
        throw new OutpostError('idempotency_conflict', 'this Idempotency-Key was already used with a different request', {
          field: 'Idempotency-Key',
        });
      if (stored && stored.status === null) {
        if (stored.created_at >= startedAt)
          throw new OutpostError(
            'idempotency_conflict',
            'a request with this Idempotency-Key is still in progress; retry shortly',
          );
        // Only one retry settles it: a second one arriving meanwhile is told it is in progress.
        if (!takeOverIdempotencyKey(db, id, { before: startedAt, now: now() }))
          throw new OutpostError(
            'idempotency_conflict',
            'a request with this Idempotency-Key is still in progress; retry shortly',
          );
        const recovered = route.recover?.(key, stored.created_at) ?? null;
        if (recovered) {
          storeIdempotentResponse(db, id, { status: recovered.status, headersJson: '{}', body: recovered.body });
          stored = { ...stored, status: recovered.status, headers_json: '{}', body: recovered.body };
        } else {
          // Nothing was done: this retry runs as the request, under the record it took over.
          stored = undefined;
        }
      }
      if (!stored) {
        pending.set(request, id);
        return;
      }
      const headers = JSON.parse(stored.headers_json ?? '{}') as Record<string, string>;
      const body = stored.body ?? '';
      void reply
        .status(stored.status as number)
        .headers(headers)
        .header(REPLAY_HEADER, 'true')
        .header('content-type', 'application/json; charset=utf-8')
        .send(route.refresh ? route.refresh(body) : body);
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

/** The request a key stands for: its body with object keys sorted (their order means nothing) and its query string. */
function requestHash(request: FastifyRequest): string {
  const canonical = JSON.stringify({ body: request.body ?? null, query: request.query ?? {} }, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}
