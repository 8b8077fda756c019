import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmailSendResult, EmailSendService } from '../../../main/api/sendContract.ts';
import { OutpostError } from '../../../main/core/outpostError.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';
const message = { to: 'jane@example.com', subject: 'Quarterly numbers', body_text: 'Attached.' };

/**
 * The Idempotency-Key rules as a script meets them, over a send service that
 * keeps its sends (what it was asked, under which key, what became of it).
 */
describe('Idempotency-Key on POST /v1/email/send', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  let sends: { result: EmailSendResult; key: string | null; subject: string; at: number }[];
  /** What the next submit does: sent, queued, a provider's refusal, or never finish (a process about to die). */
  let next: 'sent' | 'queued' | 'refused' | 'hang';
  const service: EmailSendService = {
    async submit(request, { idempotencyKey }) {
      if (next === 'refused') throw new OutpostError('provider_error', 'Gmail refused the message (400)');
      const result: EmailSendResult = {
        id: `out_${sends.length + 1}`,
        thread_id: next === 'sent' ? `thr_${sends.length + 1}` : null,
        provider: 'gmail',
        status: next === 'sent' ? 'sent' : 'queued',
        sent_at: next === 'sent' ? '2026-04-17T10:22:11Z' : null,
      };
      sends.push({ result, key: idempotencyKey, subject: request.subject, at: Date.now() });
      if (next === 'hang') return new Promise<EmailSendResult>(() => {});
      return result;
    },
    status: (id) => sends.find((s) => s.result.id === id)?.result ?? null,
    recover: (key, since) => sends.findLast((s) => s.key === key && s.at >= since)?.result ?? null,
  };

  beforeEach(async () => {
    db = openIndex(':memory:');
    ensureAccount(db, 'gmail', 'me@example.test');
    sends = [];
    next = 'sent';
    api = await buildLocalApi(db, dir.path, { send: service });
  });
  /** Harnesses a test built besides `api`. */
  const others: LocalApiHarness[] = [];
  afterEach(async () => {
    for (const harness of others.splice(0)) await harness.app.close();
    await api.app.close();
    db.close();
  });

  const send = (harness: LocalApiHarness, token: string, body: unknown, key: string) =>
    harness.app.inject({
      method: 'POST',
      url: '/v1/email/send',
      headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('is one namespace for the workspace: another API key replays the same request, and is refused a different one', async () => {
    const alice = api.key('write:email');
    const bob = api.key('write:email');
    const first = await send(api, alice, message, 'k-1');
    expect(first.statusCode).toBe(200);

    const replay = await send(api, bob, message, 'k-1');
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());

    const other = await send(api, bob, { ...message, subject: 'Something else' }, 'k-1');
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'idempotency_conflict', request_id: expect.stringMatching(/^req_/) });
    expect(sends.map((s) => s.subject)).toEqual(['Quarterly numbers']);
  });

  it('does not care about the order of the body keys', async () => {
    const token = api.key('write:email');
    await send(api, token, '{"to":"jane@example.com","subject":"Quarterly numbers","body_text":"Attached."}', 'k-order');
    const reordered = await send(
      api,
      token,
      '{"body_text":"Attached.","subject":"Quarterly numbers","to":"jane@example.com"}',
      'k-order',
    );
    expect(reordered.statusCode).toBe(200);
    expect(reordered.headers['idempotent-replayed']).toBe('true');
    expect(sends).toHaveLength(1);
  });

  it('forgets a key after 24 hours: the same key then sends the new message', async () => {
    const token = api.key('write:email');
    await send(api, token, message, 'k-old');
    db.prepare('UPDATE idempotency_keys SET created_at = created_at - ?').run(24 * 3600_000 + 1);
    const later = await send(api, token, { ...message, subject: 'A day later' }, 'k-old');
    expect(later.statusCode).toBe(200);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(sends.map((s) => s.subject)).toEqual(['Quarterly numbers', 'A day later']);
  });

  it('lets a refused request be retried with its key: the same body is attempted again, and so is a corrected one', async () => {
    const token = api.key('write:email');
    next = 'refused';
    expect((await send(api, token, message, 'k-refused')).statusCode).toBe(502);
    expect((await send(api, token, message, 'k-refused')).statusCode).toBe(502);
    next = 'sent';
    const corrected = await send(api, token, { ...message, to: 'jane@example.org' }, 'k-refused');
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json().data.status).toBe('sent');
    expect(sends).toHaveLength(1);
  });

  it('replays a queued send as it stands now: sent since, with its thread', async () => {
    const token = api.key('write:email');
    next = 'queued';
    const queued = await send(api, token, message, 'k-queued');
    expect(queued.json().data).toMatchObject({ status: 'queued', thread_id: null, sent_at: null });
    const row = sends[0] as (typeof sends)[number];
    row.result = { ...row.result, status: 'sent', thread_id: 'thr_9', sent_at: '2026-04-17T10:30:00Z' };
    const replay = await send(api, token, message, 'k-queued');
    expect(replay.json().data).toMatchObject({ id: row.result.id, status: 'sent', thread_id: 'thr_9' });
    expect(sends).toHaveLength(1);
  });

  it('replays a queued send that was cancelled since as failed, send_cancelled', async () => {
    const token = api.key('write:email');
    next = 'queued';
    const queued = await send(api, token, message, 'k-cancelled');
    sends.splice(0); // cancelled: the outbox no longer has it
    const replay = await send(api, token, message, 'k-cancelled');
    expect(replay.json().data).toMatchObject({
      id: queued.json().data.id,
      status: 'failed',
      thread_id: null,
      error: { code: 'send_cancelled' },
    });
  });

  it('answers 409 to a duplicate while the first request is still running', async () => {
    const token = api.key('write:email');
    next = 'hang';
    void send(api, token, message, 'k-busy');
    await expect.poll(() => sends.length).toBe(1);
    const duplicate = await send(api, token, message, 'k-busy');
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().message).toMatch(/in progress/);
  });

  describe('a request that died with the process', () => {
    /** The first request never answers; the harness it ran in stands for the process that died. */
    async function interrupted(key: string, outcome: 'queued' | 'nothing') {
      const token = api.key('write:email');
      if (outcome === 'nothing') {
        // Claimed, then killed before the send service was reached.
        const claimedOnly: EmailSendService = { submit: () => new Promise(() => {}) };
        const dying = await buildLocalApi(db, dir.path, { send: claimedOnly });
        others.push(dying);
        void send(dying, token, message, key);
        await expect
          .poll(() => db.prepare('SELECT count(*) AS n FROM idempotency_keys WHERE key = ?').get(key))
          .toEqual({ n: 1 });
      } else {
        next = 'hang';
        void send(api, token, message, key);
        await expect.poll(() => sends.length).toBe(1);
      }
      // The record was written a minute before the restart.
      db.prepare('UPDATE idempotency_keys SET created_at = created_at - 60000 WHERE key = ?').run(key);
      const restarted = await buildLocalApi(db, dir.path, { send: service });
      others.push(restarted);
      return { restarted, token };
    }

    it('is answered at its retry from what it did (its send was queued), and nothing is sent twice', async () => {
      const { restarted, token } = await interrupted('k-crash-queued', 'queued');
      next = 'sent';
      const retry = await send(restarted, token, message, 'k-crash-queued');
      expect(retry.statusCode).toBe(200);
      expect(retry.json().data).toMatchObject({ id: 'out_1', status: 'queued' });
      expect(sends).toHaveLength(1);
      // And from then on it is an ordinary record.
      const again = await send(restarted, token, message, 'k-crash-queued');
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(sends).toHaveLength(1);
    });

    it('runs again at its retry when it had done nothing; a different body is still a conflict', async () => {
      const { restarted, token } = await interrupted('k-crash-nothing', 'nothing');
      const other = await send(restarted, token, { ...message, subject: 'Other' }, 'k-crash-nothing');
      expect(other.statusCode).toBe(409);
      next = 'sent';
      const retry = await send(restarted, token, message, 'k-crash-nothing');
      expect(retry.statusCode).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(retry.json().data.status).toBe('sent');
      expect(sends).toHaveLength(1);
    });

    it('is settled by one retry only when two arrive together', async () => {
      const { restarted, token } = await interrupted('k-crash-race', 'nothing');
      next = 'hang';
      void send(restarted, token, message, 'k-crash-race');
      await expect.poll(() => sends.length).toBe(1);
      const second = await send(restarted, token, message, 'k-crash-race');
      expect(second.statusCode).toBe(409);
      expect(sends).toHaveLength(1);
    });
  });
});
