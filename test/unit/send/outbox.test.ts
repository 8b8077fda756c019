import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/core/eventBus.ts';
import { memoryLog, silentLog } from '../../../main/core/log.ts';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { getOutboxRow } from '../../../main/db/queries/outbox.ts';
import { Outbox, type SendProvider } from '../../../main/send/outbox.ts';
import type { CoreEvent } from '../../../shared/events.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/** A provider that records what it accepted, and can fail on demand. */
function fakeProvider() {
  const accepted: Array<{ raw: string; threadId: string | null }> = [];
  let failures: Array<'retry' | 'fatal'> = [];
  let reachable = true;
  const lookups: string[] = [];
  const provider: SendProvider = {
    async send(raw, { providerThreadId }) {
      const failure = failures.shift();
      if (failure)
        throw Object.assign(new Error(failure === 'retry' ? '503 backend error' : '400 invalid recipient'), { failure });
      accepted.push({ raw: raw.toString(), threadId: providerThreadId });
      return { providerMessageId: `p${accepted.length}`, providerThreadId: providerThreadId ?? `t${accepted.length}` };
    },
    async findSent(messageId) {
      lookups.push(messageId);
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
    /** Message-IDs looked up in Sent, in order. */
    lookups,
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

  const outboxRow = (id: string) => getOutboxRow(db, id);
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

  it('settles a row whose local commit failed after the provider took it in the next pass, and the rest of the pass still goes out', async () => {
    // Before: the throw left the row `sending` and rejected the whole pass (the rows after it waited for the
    // next pass, and the row itself stayed `sending` until a restart). Now each row is handled on its own.
    const fake = fakeProvider();
    const log = memoryLog();
    let crashes = 1;
    const outbox = new Outbox(db, blobs, {
      providerFor: () => fake.provider,
      now: () => now,
      log: log.log,
      onSent: (row) => {
        if (row.id === first.id && crashes-- > 0) throw new Error('disk full before commit');
      },
    });
    const first = outbox.enqueue({ ...message(1), idempotencyKey: null });
    now += 1; // tried first
    const second = outbox.enqueue({ ...message(2), idempotencyKey: null });
    expect(await outbox.deliverDue()).toBe(1);
    expect(outbox.get(first.id)?.status).toBe('sending'); // the provider has it; the index does not know yet
    expect(outbox.get(second.id)?.status).toBe('sent');
    expect(
      log.lines().some((l) => l.outbox_id === first.id && String(l.err && (l.err as Error).message).includes('disk full')),
    ).toBe(true);
    // The next pass (no restart) looks for it in Sent by its Message-ID, finds it, and marks it sent (not sent again).
    expect(await outbox.deliverDue()).toBe(0);
    expect(outbox.get(first.id)).toMatchObject({ status: 'sent', provider_message_id: 'p1' });
    expect(fake.accepted).toHaveLength(2);
  });

  it('never sends twice when the process dies between the provider accepting and the local commit', async () => {
    const fake = fakeProvider();
    const row = new Outbox(db, blobs, { providerFor: () => fake.provider, now: () => now }).enqueue({
      ...message(1),
      idempotencyKey: null,
    });
    await fake.provider.send(blobs.read((outboxRow(row.id) as { raw_sha256: string }).raw_sha256), { providerThreadId: null });
    db.prepare(`UPDATE outbox SET status = 'sending', attempts = 1 WHERE id = ?`).run(row.id); // killed before the commit

    const restarted = new Outbox(db, blobs, { providerFor: () => fake.provider, now: () => now });
    expect(await restarted.reconcileUncertain()).toBe(1);
    expect(restarted.get(row.id)).toMatchObject({ status: 'sent', provider_message_id: 'p1' });
    await restarted.deliverDue();
    expect(fake.accepted).toHaveLength(1);
  });

  it('reconciles uncertain rows in every delivery pass, so a core started offline settles them when the network is back', async () => {
    const fake = fakeProvider();
    const outbox = new Outbox(db, blobs, { providerFor: () => fake.provider, now: () => now });
    const row = outbox.enqueue({ ...message(1), idempotencyKey: null });
    db.prepare(`UPDATE outbox SET status = 'sending' WHERE id = ?`).run(row.id); // died before the provider call
    fake.setReachable(false);
    expect(await outbox.reconcileUncertain()).toBe(1); // the start-up check, offline: cannot tell
    await outbox.deliverDue();
    expect(outbox.get(row.id)).toMatchObject({ status: 'sending', last_error: expect.stringMatching(/could not check/) });
    expect(fake.accepted).toHaveLength(0);
    fake.setReachable(true);
    now += 30_000;
    // The timer's next pass: not in Sent, so it goes back to the queue and out in the same pass.
    expect(await outbox.deliverDue()).toBe(1);
    expect(outbox.get(row.id)).toMatchObject({ status: 'sent', last_error: null });
    expect(fake.accepted).toHaveLength(1);
  });

  it('never reconciles a row this process is sending right now', async () => {
    const fake = fakeProvider();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    const slow: SendProvider = {
      ...fake.provider,
      send: async (raw, options) => {
        started();
        await gate;
        return fake.provider.send(raw, options);
      },
    };
    const outbox = new Outbox(db, blobs, { providerFor: () => slow, now: () => now });
    const row = outbox.enqueue({ ...message(1), idempotencyKey: null });
    const delivery = outbox.deliver(row.id);
    await inFlight;
    expect(outbox.get(row.id)?.status).toBe('sending');
    // The 30 s timer's pass and the start-up check meanwhile: the row is ours, in flight; no lookup, no requeue.
    expect(await outbox.deliverDue()).toBe(0);
    await outbox.reconcileUncertain();
    await expect(outbox.cancel(row.id)).rejects.toThrow(/being sent/);
    expect(fake.lookups).toEqual([]);
    expect(outbox.get(row.id)?.status).toBe('sending');
    release();
    expect(await delivery).toBe(true);
    expect(outbox.get(row.id)?.status).toBe('sent');
    expect(fake.accepted).toHaveLength(1);
  });

  it('cancels a stuck row once Sent shows it did not go out, and never while that cannot be told', async () => {
    const fake = fakeProvider();
    const bus = new EventBus(silentLog);
    const failed: string[] = [];
    bus.subscribe((event) => {
      if (event.type === 'email.send_failed') failed.push(`${event.message.id} ${event.message.reason.code}`);
    });
    const outbox = new Outbox(db, blobs, { providerFor: () => fake.provider, now: () => now, events: bus });
    const stuck = outbox.enqueue({ ...message(1), idempotencyKey: null });
    const wentOut = outbox.enqueue({ ...message(2), idempotencyKey: null });
    await fake.provider.send(blobs.read((outboxRow(wentOut.id) as { raw_sha256: string }).raw_sha256), {
      providerThreadId: null,
    });
    db.prepare(`UPDATE outbox SET status = 'sending' WHERE id IN (?, ?)`).run(stuck.id, wentOut.id);
    fake.setReachable(false);
    await expect(outbox.cancel(stuck.id)).rejects.toMatchObject({ code: 'send_in_progress' });
    expect(outbox.get(stuck.id)?.status).toBe('sending');
    fake.setReachable(true);
    await outbox.cancel(stuck.id);
    expect(outbox.get(stuck.id)).toBeUndefined();
    expect(failed).toEqual([`${stuck.id} send_cancelled`]);
    // One the provider has is sent, not cancelled.
    await expect(outbox.cancel(wentOut.id)).rejects.toMatchObject({ code: 'already_sent' });
    expect(outbox.get(wentOut.id)).toMatchObject({ status: 'sent', provider_message_id: 'p1' });
    await outbox.deliverDue();
    expect(fake.accepted).toHaveLength(1);
  });

  it('handles each row on its own: a row that cannot even be tried leaves the others going out', async () => {
    const fake = fakeProvider();
    const log = memoryLog();
    const other = ensureAccount(db, 'gmail', 'other@example.test').id;
    const outbox = new Outbox(db, blobs, {
      providerFor: (id) => {
        if (id === other) throw new Error('no sender for this account');
        return fake.provider;
      },
      now: () => now,
      log: log.log,
      maxAttempts: 2,
    });
    const broken = outbox.enqueue({ ...message(1), accountId: other, idempotencyKey: null });
    const fine = outbox.enqueue({ ...message(2), idempotencyKey: null });
    const uncertain = outbox.enqueue({ ...message(3), accountId: other, idempotencyKey: null });
    db.prepare(`UPDATE outbox SET status = 'sending' WHERE id = ?`).run(uncertain.id);
    expect(await outbox.deliverDue()).toBe(1);
    expect(outbox.get(fine.id)?.status).toBe('sent');
    // Both said in the log with their row: the one that could not be tried, the one that could not be checked.
    expect(
      log
        .lines()
        .filter((l) => Number(l.level) >= 40)
        .map((l) => l.outbox_id),
    ).toEqual(expect.arrayContaining([broken.id, uncertain.id]));
    // Bounded: a row that fails locally every time is given up after its attempts, said plainly.
    for (let pass = 0; pass < 4; pass++) {
      now += 3_600_000;
      await outbox.deliverDue();
    }
    expect(outbox.get(broken.id)).toMatchObject({
      status: 'failed',
      failure_code: 'internal_error',
      last_error: expect.stringMatching(/no sender/),
    });
    // The uncertain one is never given up blindly: it waits until Sent can be asked.
    expect(outbox.get(uncertain.id)?.status).toBe('sending');
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

    await outbox.cancel(cancelled.id);
    expect(outbox.get(cancelled.id)).toBeUndefined();
    expect(outbox.retryNow(failing.id)).toMatchObject({ status: 'queued', next_attempt_at: now, attempts: 1 });
    expect(outbox.retryNow(waiting.id)).toMatchObject({ status: 'queued', next_attempt_at: now });
    expect(await outbox.deliverDue()).toBe(2);
    expect(outbox.pending()).toEqual([]);
    expect(fake.accepted).toHaveLength(2);

    expect(() => outbox.retryNow(waiting.id)).toThrow(/sent already/);
    await expect(outbox.cancel(waiting.id)).rejects.toThrow(/sent already/);
    await expect(outbox.cancel('out_nope')).rejects.toThrow(/no message/);
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
    await second.cancel(cancelled.id);
    expect(failed.map((m) => [m.id, m.idempotency_key, m.reason.code, m.reason.provider_status])).toEqual([
      [refused.id, 'k1', 'provider_error', 400],
      [spent.id, null, 'network_error', null],
      [cancelled.id, null, 'send_cancelled', null],
    ]);
    expect(failed[0]?.reason.message).toBe('400 invalid recipient');
  });
});
