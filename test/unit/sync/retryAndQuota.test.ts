import { describe, expect, it } from 'vitest';
import { memoryLog } from '../../../main/core/log.ts';
import { call } from '../../../main/providers/gmail/gmailFullSync.ts';
import type { GmailSession } from '../../../main/providers/gmail/gmailSession.ts';
import { QuotaWindow } from '../../../main/sync/quotaWindow.ts';
import { type FailureClass, parseRetryAfter, withRetry } from '../../../main/sync/retryPolicy.ts';

function fakeClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('QuotaWindow', () => {
  it('never spends more than the limit in any moving window, and gets close to it', async () => {
    const clock = fakeClock();
    const window = new QuotaWindow({ unitsPerWindow: 250, windowMs: 1_000, ...clock });
    const spends: Array<{ at: number; units: number }> = [];
    for (let i = 0; i < 200; i++) {
      const units = i % 50 === 0 ? 5 : 50; // batches of 10 messages.get, a list call per 500 messages
      await window.take(units);
      spends.push({ at: clock.now(), units });
    }
    for (const s of spends) {
      const inWindow = spends.filter((o) => o.at >= s.at && o.at < s.at + 1_000).reduce((n, o) => n + o.units, 0);
      expect(inWindow).toBeLessThanOrEqual(250);
    }
    const total = spends.reduce((n, s) => n + s.units, 0);
    expect(total / (clock.now() / 1000)).toBeGreaterThan(0.95 * 250);
  });

  it('pauses every caller after a 429', async () => {
    const clock = fakeClock();
    const window = new QuotaWindow({ unitsPerWindow: 100, windowMs: 1_000, ...clock });
    window.pause(2_000);
    await window.take(1);
    expect(clock.now()).toBeGreaterThanOrEqual(2_000);
  });

  it('refuses a request larger than the window', () => {
    expect(() => new QuotaWindow({ unitsPerWindow: 10, windowMs: 1_000 }).take(11)).toThrow();
  });
});

describe('withRetry', () => {
  const retryable = (): FailureClass => ({ kind: 'retry', reason: '503' });

  it('retries retryable failures with growing, jittered delays and then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        if (++calls < 4) throw new Error('503');
        return 'ok';
      },
      { classify: retryable, random: () => 1, wait: async (ms) => void delays.push(ms), baseDelayMs: 100, onRetry: () => {} },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([100, 200, 400]);
  });

  it('honours Retry-After over its own backoff', async () => {
    const delays: number[] = [];
    let calls = 0;
    await withRetry(
      async () => {
        if (++calls === 1) throw new Error('429');
        return 1;
      },
      {
        classify: () => ({ kind: 'retry', retryAfterMs: 7_000, reason: '429' }),
        wait: async (ms) => void delays.push(ms),
        onRetry: () => {},
      },
    );
    expect(delays).toEqual([7_000]);
  });

  it('does not retry fatal failures, and gives up after maxAttempts', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('400');
        },
        { classify: () => ({ kind: 'fatal' }), wait: async () => {}, onRetry: () => {} },
      ),
    ).rejects.toThrow('400');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('503');
        },
        { classify: retryable, maxAttempts: 3, wait: async () => {}, onRetry: () => {} },
      ),
    ).rejects.toThrow('503');
    expect(calls).toBe(3);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('retries leave a trace', () => {
  it('logs every retry of a Gmail call with the call, attempt, reason and delay', async () => {
    const logged = memoryLog();
    const session = {
      quota: { take: async () => {}, rateLimited: () => {} },
      log: logged.log,
    } as unknown as GmailSession;
    let attempts = 0;
    const result = await call({ session }, 5, async () => {
      if (++attempts < 3) throw Object.assign(new Error('backend error'), { response: { status: 503 } });
      return 'ok';
    });
    expect(result).toBe('ok');
    const retries = logged.lines().filter((line) => line.msg === 'retrying');
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatchObject({ level: 40, call: 'gmail', attempt: 1, reason: '503' });
    expect(retries[1]).toMatchObject({ attempt: 2, reason: '503' });
    for (const line of retries) expect(line.delay_ms).toBeGreaterThan(0);
  });
});
