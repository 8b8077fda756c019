import { describe, expect, it } from 'vitest';
import { MailboxLimiter, mailboxLimiter } from '../../../main/providers/graph/mailboxLimiter.ts';

/** A call the test finishes when it wants (no timers). */
function deferred() {
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { done, finish };
}

describe('MailboxLimiter (Exchange: 4 requests in flight per app and mailbox)', () => {
  it('runs at most 4 calls at once and starts the next as one ends', async () => {
    const limiter = new MailboxLimiter();
    const calls = Array.from({ length: 10 }, () => deferred());
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const all = calls.map((c, i) =>
      limiter.run(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await c.done;
        running--;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2, 3]);
    calls[0]?.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(5);
    for (const c of calls) c.finish();
    await Promise.all(all);
    expect(peak).toBe(4);
    expect(limiter.inFlight).toBe(0);
  });

  it('a call waiting for a slot ends at once when its sync is cancelled, without taking a slot', async () => {
    const limiter = new MailboxLimiter(1);
    const holder = deferred();
    const held = limiter.run(() => holder.done);
    const controller = new AbortController();
    let ran = false;
    const waiting = limiter.run(async () => {
      ran = true;
    }, controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(waiting).rejects.toThrow(/abort/i);
    expect(ran).toBe(false);
    expect(limiter.inFlight).toBe(1);
    holder.finish();
    await held;
    expect(limiter.inFlight).toBe(0);
  });

  it('a failing call gives its slot back', async () => {
    const limiter = new MailboxLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'next')).toBe('next');
  });

  it('after a pause (Retry-After) no call starts before its end', async () => {
    const limiter = new MailboxLimiter();
    const t0 = Date.now();
    limiter.pause(50, t0);
    let startedAt = 0;
    await limiter.run(async () => {
      startedAt = Date.now();
    });
    expect(startedAt - t0).toBeGreaterThanOrEqual(49);
  });

  it('one limiter per mailbox key', () => {
    expect(mailboxLimiter('https://graph|a')).toBe(mailboxLimiter('https://graph|a'));
    expect(mailboxLimiter('https://graph|a')).not.toBe(mailboxLimiter('https://graph|b'));
  });
});
