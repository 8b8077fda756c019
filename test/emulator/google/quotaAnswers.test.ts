import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { type AnyJson, CALENDAR, calendarFor, control, failure, gmailFor, signIn, start } from './harness.ts';
import { nextPacificMidnight } from './quota.ts';

const FULL = 'https://mail.google.com/';

/** A batch of `n` messages.get parts; the answer split into [status, JSON body] per part. */
async function batchOf(emu: RunningEmulator, token: string, ids: string[]): Promise<Array<[number, AnyJson]>> {
  const body = `${ids
    .map(
      (id, i) =>
        `--b1\r\nContent-Type: application/http\r\nContent-ID: <item${i}>\r\n\r\nGET /gmail/v1/users/me/messages/${id}?format=minimal\r\n\r\n`,
    )
    .join('')}--b1--\r\n`;
  const res = await fetch(`${emu.baseUrl}/batch/gmail/v1`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/mixed; boundary=b1' },
    body,
  });
  expect(res.status).toBe(200);
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  return text
    .split(`--${type.split('boundary=')[1]}`)
    .slice(1, -1)
    .map((part) => {
      const status = Number(/HTTP\/1.1 (\d{3})/.exec(part)?.[1]);
      const json = part.slice(part.indexOf('{'), part.lastIndexOf('}') + 1);
      return [status, JSON.parse(json)];
    });
}

/** The rate-limit and quota answers Google documents, as the control API switches them on, in batch parts and whole responses. */
describe('Google quota answers (dailyLimitExceeded, concurrent requests, rate limits, backendError)', () => {
  let emu: RunningEmulator;
  let token: string;
  let gmail: ReturnType<typeof gmailFor>;
  let calendar: ReturnType<typeof calendarFor>;
  let ids: string[];
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'synthetic', count: 50 } });
    const auth = await signIn(emu, [FULL, CALENDAR]);
    token = auth.credentials.access_token ?? '';
    gmail = gmailFor(emu, auth);
    calendar = calendarFor(emu, auth);
    ids = ((await gmail.users.messages.list({ userId: 'me', maxResults: 20 })).data.messages ?? []).map((m) => m.id ?? '');
  });
  afterAll(() => emu.stop());

  const daily = {
    code: 403,
    message: 'Daily Limit Exceeded',
    errors: [{ message: 'Daily Limit Exceeded', domain: 'usageLimits', reason: 'dailyLimitExceeded' }],
    status: 'PERMISSION_DENIED',
  };

  it('answers 403 dailyLimitExceeded (Gmail, Gmail batch parts, Calendar) until the next Pacific midnight by its clock', async () => {
    const now = Number((await control(emu, 'GET', '/clock')).now);
    const set = await control(emu, 'POST', '/google/quota', { dailyLimitExceeded: true });
    expect(set.resetsAt).toBe(new Date(nextPacificMidnight(now)).toISOString());
    // A midnight in Los Angeles is 07:00 or 08:00 UTC (PDT / PST).
    expect([7, 8]).toContain(new Date(set.resetsAt).getUTCHours());
    const whole = await failure(gmail.users.getProfile({ userId: 'me' }, { retry: false }));
    expect(whole.status).toBe(403);
    expect(whole.error).toEqual(daily);
    const parts = await batchOf(emu, token, ids.slice(0, 3));
    expect(parts.map(([status]) => status)).toEqual([403, 403, 403]);
    expect(parts[0]?.[1]).toEqual({ error: daily });
    const cal = await failure(calendar.calendarList.list({}, { retry: false }));
    expect(cal.status).toBe(403);
    expect(cal.error).toEqual(daily);

    // A second before the reset: still refused; at the reset: answered again.
    const untilReset = Date.parse(set.resetsAt) - Number((await control(emu, 'GET', '/clock')).now);
    await control(emu, 'POST', '/clock', { advanceMs: untilReset - 1000 });
    const auth = await signIn(emu, [FULL, CALENDAR]); // the access token died on the way
    gmail = gmailFor(emu, auth);
    calendar = calendarFor(emu, auth);
    token = auth.credentials.access_token ?? '';
    expect((await failure(gmail.users.getProfile({ userId: 'me' }, { retry: false }))).status).toBe(403);
    await control(emu, 'POST', '/clock', { advanceMs: 1000 });
    expect((await gmail.users.getProfile({ userId: 'me' })).status).toBe(200);
    expect((await calendar.calendarList.list({})).status).toBe(200);
  });

  it("refuses batch parts beyond the per-user concurrent-request limit with Gmail's 429", async () => {
    await control(emu, 'POST', '/google/quota', { maxConcurrent: 5 });
    const parts = await batchOf(emu, token, ids.slice(0, 8));
    expect(parts.map(([status]) => status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(parts[5]?.[1]).toEqual({
      error: {
        code: 429,
        message: 'Too many concurrent requests for user.',
        errors: [{ message: 'Too many concurrent requests for user.', domain: 'global', reason: 'rateLimitExceeded' }],
        status: 'RESOURCE_EXHAUSTED',
      },
    });
    // The batch answered: its parts are no longer in flight.
    expect((await batchOf(emu, token, ids.slice(0, 5))).map(([status]) => status)).toEqual([200, 200, 200, 200, 200]);
    await control(emu, 'POST', '/google/quota', { maxConcurrent: null });
    expect((await batchOf(emu, token, ids.slice(0, 8))).every(([status]) => status === 200)).toBe(true);
  });

  it('answers the per-user rate limit as 403 rateLimitExceeded when asked, and 500/503 faults as backendError', async () => {
    await control(emu, 'POST', '/clock', { advanceMs: 2000 });
    await control(emu, 'POST', '/google/quota', { unitsPerSecond: 6, exceededStatus: 403, exceededReason: 'rateLimitExceeded' });
    await gmail.users.messages.get({ userId: 'me', id: ids[0] ?? '', format: 'minimal' });
    const limited = await failure(gmail.users.messages.get({ userId: 'me', id: ids[0] ?? '' }, { retry: false }));
    expect(limited.status).toBe(403);
    expect(limited.error).toEqual({
      code: 403,
      message: 'Rate Limit Exceeded',
      errors: [{ message: 'Rate Limit Exceeded', domain: 'usageLimits', reason: 'rateLimitExceeded' }],
      status: 'RESOURCE_EXHAUSTED',
    });
    await control(emu, 'POST', '/google/quota', { unitsPerSecond: 250, exceededStatus: 429 });
    await control(emu, 'POST', '/clock', { advanceMs: 2000 });

    await control(emu, 'POST', '/faults', {
      faults: [{ endpoint: 'gmail.users.messages.get', kind: 'status', status: 500, count: 1 }],
    });
    const [first, second] = await batchOf(emu, token, ids.slice(0, 2));
    expect(first?.[0]).toBe(500);
    expect(first?.[1]).toEqual({
      error: {
        code: 500,
        message: 'Backend Error',
        errors: [{ message: 'Backend Error', domain: 'global', reason: 'backendError' }],
        status: 'INTERNAL',
      },
    });
    expect(second?.[0]).toBe(200);
    await fetch(`${emu.controlUrl}/faults`, { method: 'DELETE' });
  });
});
