import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/core/eventBus.ts';
import { silentLog } from '../../../main/core/log.ts';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { Outbox, type SendProvider } from '../../../main/send/outbox.ts';
import type { CoreEvent } from '../../../shared/events.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/** A provider that records what it accepted, and can fail on demand. */
function fakeProvider() {
  const accepted: Array<{ raw: string; threadId: string | null }> = [];
  let failures: Array<'retry' | 'fatal'> = [];
  let reachable = true;
  const provider: SendProvider = {
    async send(raw, { providerThreadId }) {
      const failure = failures.shift();
      if (failure)
        throw Object.assign(new Error(failure === 'retry' ? '503 backend error' : '400 invalid recipient'), { failure });
      accepted.push({ raw: raw.toString(), threadId: providerThreadId });
      return { providerMessageId: `p${accepted.length}`, providerThreadId: providerThreadId ?? `t${accepted.length}` };
    },
    async findSent(messageId) {
      if (!reachable) throw new Error('offline');
      const index = accepted.findIndex((m) => m.raw.includes(messageId));
      return index === -1 ? null : { providerMessageId: `p${index + 1}`, providerThreadId: `t${index + 1}` };
    },
    classify: (error) =>
      (error as { failure?: string }).failure === 'retry' ? { kind: 'retry', reason: '503' } : { kind: 'fatal' },
  };
  return {
    provider,
    accepted,
    failNext: (...kinds: Array<'retry' | 'fatal'>) => {
      failures = kinds;
    },
    setReachable: (value: boolean) => {
      reachable = value;
    },
  };
}

describe('the outbox', () => {
  let db: IndexDb;
  let dir: ReturnType<typeof makeTempDir>;
  let blobs: BlobStore;
  let accountId: string;
  let now: number;
  beforeEach(() => {
    db = openIndex(':memory:');
    dir = makeTempDir();
    blobs = new BlobStore(db, dir.path);
    accountId = ensureAccount(db, 'gmail', 'me@example.test').id;
    now = 1_000_000;
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  const message = (n: number) => ({
    accountId,
    raw: Buffer.from(`Message-ID: <m${n}@example.test>\r\n\r\nbody ${n}`),
    rfc822MessageId: `m${n}@example.test`,
    providerThreadId: null,
  });

  it('delivers a queued message once and records the provider id', async () => {
    const fake = fakeProvider();
    const sentRows: string[] = [];
    const outbox = new Outbox(db, blobs, {
      providerFor: () => fake.provider,
      now: () => now,
      onSent: (row) => sentRows.push(row.id),
    });
    const row = outbox.enqueue({ ...message(1), idempotencyKey: 'k1' });
    expect(await outbox.deliverDue()).toBe(1);
    expect(await outbox.deliverDue()).toBe(0);
    expect(fake.accepted).toHaveLength(1);
    expect(outbox.get(row.id)).toMatchObject({ status: 'sent', provider_message_id: 'p1', attempts: 1 });
    expect(sentRows).toEqual([row.id]);
  });

  it('keeps the Idempotency-Key with each row and finds the newest one made with it since a time (the API holds the key)', async () => {
    const fake = fakeProvider();
    const outbox = new Outbox(db, blobs, { providerFor: () => fake.provider, now: () => now });
    const refused = outbox.enqueue({ ...message(1), idempotencyKey: 'same' });
    now += 1_000;
    // A request refused before anything was sent released the key: its retry is a row of its own.
    const retried = outbox.enqueue({ ...message(2), idempotencyKey: 'same' });
    expect(retried.id).not.toBe(refused.id);
    expect(outbox.byIdempotencyKey('same', 0)?.id).toBe(retried.id);
    expect(outbox.byIdempotencyKey('same', now + 1)).toBeUndefined();
    expect(outbox.byIdempotencyKey('other', 0)).toBeUndefined();
  });

  it('keeps a message queued through provider outages and delivers it once when they end', async () => {
    const fake = fakeProvider();
    const outbox = new Outbox(db, blobs, { providerFor: () => fake.provider, now: () => now });
    const row = outbox.enqueue({ ...message(1), idempotencyKey: null });
    fake.failNext('retry', 'retry');
    await outbox.deliverDue();
    expect(outbox.get(row.id)).toMatchObject({ status: 'queued', attempts: 1, last_error: '503 backend error' });
    expect(await outbox.deliverDue()).toBe(0); // not due yet: backoff
    now += 60_000;
    await outbox.deliverDue();
    now += 60_000;
    expect(await outbox.deliverDue()).toBe(1);
    expect(fake.accepted).toHaveLength(1);
  });

  it('fails a message the provider refuses for good, with the reason', async () => {
    const fake = fakeProvider();
    const outbox = new Outbox(db, blobs, { providerFor: () => fake.provider, now: () => now });
    const row = outbox.enqueue({ ...message(1), idempotencyKey: null });
    fake.failNext('fatal');
    await outbox.deliverDue();
    expect(outbox.get(row.id)).toMatchObject({ status: 'failed', last_error: '400 invalid recipient' });
  });

  it('never sends twice when the process dies between the provider accepting and the local commit', async () => {
    const fake = fakeProvider();
    const crashing = new Outbox(db, blobs, {
      providerFor: () => fake.provider,
      now: () => now,
      onSent: () => {
        throw new Error('killed before commit');
      },
    });
    const row = crashing.enqueue({ ...message(1), idempotencyKey: null });
    await expect(crashing.deliverDue()).rejects.toThrow('killed before commit');
    expect(crashing.get(row.id)?.status).toBe('sending'); // the provider has it; the index does not know yet

    const restarted = new Outbox(db, blobs, { providerFor: () => fake.provider, now: () => now });
    expect(await restarted.reconcileUncertain()).toBe(1);
    expect(restarted.get(row.id)).toMatchObject({ status: 'sent', provider_message_id: 'p1' });
    await restarted.deliverDue();
    expect(fake.accepted).toHaveLength(1);
  });

  it('retries an uncertain message the provider never got, and waits while it cannot check', async () => {
    const fake = fakeProvider();
    const outbox = new Outbox(db, blobs, { providerFor: () => fake.provider, now: () => now });
    const row = outbox.enqueue({ ...message(1), idempotencyKey: null });
    db.prepare(`UPDATE outbox SET status = 'sending' WHERE id = ?`).run(row.id); // died before the provider call
    fake.setReachable(false);
    await outbox.reconcileUncertain();
    expect(outbox.get(row.id)?.status).toBe('sending');
    fake.setReachable(true);
    await outbox.reconcileUncertain();
    expect(outbox.get(row.id)?.status).toBe('queued');
    await outbox.deliverDue();
    expect(fake.accepted).toHaveLength(1);
  });

  it('sends a row once when two deliveries run at the same time (the send route and the timer)', async () => {
    const fake = fakeProvider();
    const slow: SendProvider = {
      ...fake.provider,
      send: async (raw, options) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return fake.provider.send(raw, options);
      },
    };
    const outbox = new Outbox(db, blobs, { providerFor: () => slow, now: () => now });
    outbox.enqueue({ ...message(1), idempotencyKey: null });
    outbox.enqueue({ ...message(2), idempotencyKey: null });
    const results = await Promise.all([outbox.deliverDue(), outbox.deliverDue(), outbox.deliverDue()]);
    expect(results.reduce((a, b) => a + b, 0)).toBe(2);
    expect(fake.accepted).toHaveLength(2);
  });

  it('lists what is not sent yet, sends a failed or waiting message now, and cancels one', async () => {
    const fake = fakeProvider();
    const outbox = new Outbox(db, blobs, { providerFor: () => fake.provider, now: () => now, maxAttempts: 2 });
    const waiting = outbox.enqueue({ ...message(1), idempotencyKey: null });
    const failing = outbox.enqueue({ ...message(2), idempotencyKey: null });
    const cancelled = outbox.enqueue({ ...message(3), idempotencyKey: null });
    fake.failNext('retry', 'retry', 'retry');
    await outbox.deliverDue();
    now += 1_000; // not yet due again
    await outbox.deliverDue();
    expect(outbox.pending().map((r) => [r.id, r.status])).toEqual([
      [waiting.id, 'queued'],
      [failing.id, 'queued'],
      [cancelled.id, 'queued'],
    ]);
    db.prepare(`UPDATE outbox SET status = 'failed' WHERE id = ?`).run(failing.id);

    outbox.cancel(cancelled.id);
    expect(outbox.get(cancelled.id)).toBeUndefined();
    expect(outbox.retryNow(failing.id)).toMatchObject({ status: 'queued', next_attempt_at: now, attempts: 1 });
    expect(outbox.retryNow(waiting.id)).toMatchObject({ status: 'queued', next_attempt_at: now });
    expect(await outbox.deliverDue()).toBe(2);
    expect(outbox.pending()).toEqual([]);
    expect(fake.accepted).toHaveLength(2);

    expect(() => outbox.retryNow(waiting.id)).toThrow(/sent already/);
    expect(() => outbox.cancel(waiting.id)).toThrow(/sent already/);
    expect(() => outbox.cancel('out_nope')).toThrow(/no message/);
    db.prepare(`UPDATE outbox SET status = 'sending' WHERE id = ?`).run(failing.id);
    expect(() => outbox.cancel(failing.id)).toThrow(/being sent/);
  });

  it('says plainly when a message will not go out: email.send_failed with the reason (refused, retries spent, cancelled)', async () => {
    const fake = fakeProvider();
    const bus = new EventBus(silentLog);
    const failed: Array<Extract<CoreEvent, { type: 'email.send_failed' }>['message']> = [];
    bus.subscribe((event) => {
      if (event.type === 'email.send_failed') failed.push(event.message);
    });
    const outbox = new Outbox(db, blobs, { providerFor: () => fake.provider, now: () => now, events: bus, maxAttempts: 2 });
    // Refused for good: the provider's status is kept.
    const refused = outbox.enqueue({ ...message(1), idempotencyKey: 'k1' });
    fake.failNext('fatal');
    const refusal = Object.assign(new Error('400 invalid recipient'), { failure: 'fatal', status: 400 });
    fake.provider.send = async () => {
      throw refusal;
    };
    await outbox.deliverDue();
    expect(outbox.get(refused.id)).toMatchObject({ status: 'failed', failure_code: 'provider_error', provider_status: 400 });
    // Still failing after its attempts: given up.
    const flaky = fakeProvider();
    const second = new Outbox(db, blobs, { providerFor: () => flaky.provider, now: () => now, events: bus, maxAttempts: 2 });
    const spent = second.enqueue({ ...message(2), idempotencyKey: null });
    flaky.failNext('retry', 'retry');
    await second.deliverDue();
    now += 3_600_000;
    await second.deliverDue();
    expect(second.get(spent.id)?.status).toBe('failed');
    // Cancelled while queued.
    const cancelled = second.enqueue({ ...message(3), idempotencyKey: null, delayMs: 60_000 });
    second.cancel(cancelled.id);
    expect(failed.map((m) => [m.id, m.idempotency_key, m.reason.code, m.reason.provider_status])).toEqual([
      [refused.id, 'k1', 'provider_error', 400],
      [spent.id, null, 'network_error', null],
      [cancelled.id, null, 'send_cancelled', null],
    ]);
    expect(failed[0]?.reason.message).toBe('400 invalid recipient');
  });
});
