import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSession } from '../../../main/api/auth/sessions.ts';
import { defaultRateLimits, type RateLimitConfig } from '../../../main/api/rateLimits.ts';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import type { JobHandler } from '../../../main/sync/jobRunner.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The on-demand sync caps as the references set them: email and calendar sync
 * 6 per rolling hour each, /api/services/{id}/sync sized for its documented
 * 5–15 minute schedule, the gmail-connections trigger its own bucket, the UI's
 * Sync now outside every script's cap, persisted across a restart. The clock is
 * faked (only Date), so an hour passes in no time.
 */
describe('on-demand sync caps', () => {
  const dir = makeTempDir();
  let db: WritableDb;
  let api: LocalApiHarness;
  let gmailId: string;
  let otherGmailId: string;
  let handler: JobHandler;
  let uiSession: string;
  let dbFile = 0;

  async function start(rateLimits: Partial<RateLimitConfig> = {}, path = ':memory:') {
    db = openIndex(path);
    gmailId = ensureAccount(db, 'gmail', 'me@example.test').id;
    otherGmailId = ensureAccount(db, 'gmail', 'other@example.test').id;
    api = await buildLocalApi(db, dir.path, {
      handlers: { email_sync: (job, ctx) => handler(job, ctx), calendar_sync: async () => ({ eventsProcessed: 3 }) },
      rateLimits,
    });
    uiSession = createSession(db, { admin: true }).token;
  }
  async function stop() {
    await api.runner.stop();
    await api.app.close();
    db.close();
  }

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // An arbitrary moment ten minutes before the top of some hour: no calendar year is baked in.
    const now = new Date();
    now.setUTCMinutes(50, 0, 0);
    vi.setSystemTime(now);
    handler = async () => ({ messagesProcessed: 1, threadsProcessed: 1 });
  });
  afterEach(async () => {
    await stop();
    vi.useRealTimers();
  });

  const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);
  /** Sync jobs that run until released (every account's, however many started). */
  const holdSyncs = () => {
    const waiting: Array<() => void> = [];
    let started = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    handler = () =>
      new Promise((resolve) => {
        waiting.push(() => resolve({ messagesProcessed: 1, threadsProcessed: 1 }));
        started();
      });
    const release = () => {
      for (const resume of waiting.splice(0)) resume();
    };
    return { running, release };
  };
  const post = (url: string, headers: Record<string, string>, body: unknown = {}) =>
    api.app.inject({
      method: 'POST',
      url,
      headers: { host, 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
  const asKey = (key: string) => ({ authorization: `Bearer ${key}` });
  const asUi = () => ({ authorization: `Bearer ${uiSession}` });
  const serviceSync = (id: string) =>
    api.app.inject({
      method: 'POST',
      url: `/api/services/${id}/sync`,
      headers: { host },
      cookies: { 'authjs.session-token': api.adminSession },
    });
  const limitHeaders = (res: { headers: Record<string, unknown> }) => ({
    limit: res.headers['x-ratelimit-limit'],
    remaining: res.headers['x-ratelimit-remaining'],
    reset: Number(res.headers['x-ratelimit-reset']),
  });

  it('lets one /api/services/{id}/sync every 5 minutes through, hour after hour (the reference schedule)', async () => {
    await start();
    for (let i = 0; i < 36; i++) {
      const res = await serviceSync(gmailId);
      expect(res.statusCode, `sync ${i + 1} at minute ${i * 5}`).toBe(200);
      expect(res.json()).toMatchObject({ ok: true, mode: 'incremental' });
      expect(res.headers['x-ratelimit-limit']).toBe(String(defaultRateLimits.serviceSyncPerHour));
      advance(5 * MINUTE);
    }
  });

  it('still refuses a tight loop of /api/services/{id}/sync, per service, reporting that service’s bucket', async () => {
    await start();
    const cap = defaultRateLimits.serviceSyncPerHour;
    for (let i = 0; i < cap; i++) {
      const res = await serviceSync(gmailId);
      expect(res.statusCode).toBe(200);
      expect(limitHeaders(res)).toMatchObject({ limit: String(cap), remaining: String(cap - 1 - i) });
      advance(1000);
    }
    const over = await serviceSync(gmailId);
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ code: 'rate_limited', message: expect.stringContaining(`service ${gmailId}`) });
    expect(limitHeaders(over)).toMatchObject({ limit: String(cap), remaining: '0' });
    const other = await serviceSync(otherGmailId);
    expect(other.statusCode).toBe(200);
    expect(limitHeaders(other)).toMatchObject({ limit: String(cap), remaining: String(cap - 1) });
  });

  it('caps email sync at 6 per rolling hour while calendar sync keeps its own 6', async () => {
    await start();
    const key = api.key('write:email', 'write:calendar');
    const first = Date.now();
    for (let i = 0; i < 6; i++) {
      const res = await post('/v1/email/sync', asKey(key));
      expect(res.statusCode).toBe(200);
      expect(limitHeaders(res)).toEqual({ limit: '6', remaining: String(5 - i), reset: Math.ceil((first + HOUR) / 1000) });
      advance(5 * MINUTE);
    }
    const seventh = await post('/v1/email/sync', asKey(key));
    expect(seventh.statusCode).toBe(429);
    expect(seventh.json().code).toBe('rate_limited');
    expect(seventh.json().message).toMatch(/email sync is capped at 6 per rolling hour/);
    // Reset: when the oldest slot frees, an hour after it was taken.
    expect(limitHeaders(seventh)).toEqual({ limit: '6', remaining: '0', reset: Math.ceil((first + HOUR) / 1000) });
    const calendar = await post('/v1/calendar/sync', asKey(key));
    expect(calendar.statusCode).toBe(200);
    expect(limitHeaders(calendar)).toMatchObject({ limit: '6', remaining: '5' });
  });

  it('rolls: a slot frees 60 minutes after it was taken, not at the top of the hour', async () => {
    await start();
    const key = api.key('write:email');
    const first = Date.now(); // ten minutes before the top of the hour
    for (let i = 0; i < 6; i++) {
      expect((await post('/v1/email/sync', asKey(key))).statusCode).toBe(200);
      advance(MINUTE);
    }
    vi.setSystemTime(first + 10 * MINUTE); // the top of the hour: a clock-hour window would start afresh here
    expect((await post('/v1/email/sync', asKey(key))).statusCode).toBe(429);
    vi.setSystemTime(first + HOUR - 1);
    expect((await post('/v1/email/sync', asKey(key))).statusCode).toBe(429);
    vi.setSystemTime(first + HOUR);
    const freed = await post('/v1/email/sync', asKey(key));
    expect(freed.statusCode).toBe(200);
    expect(limitHeaders(freed)).toMatchObject({ remaining: '0' });
    expect((await post('/v1/email/sync', asKey(key))).statusCode).toBe(429);
    vi.setSystemTime(first + HOUR + MINUTE);
    expect((await post('/v1/email/sync', asKey(key))).statusCode).toBe(200);
  });

  it('does not refuse the UI’s Sync now after scripts used up their caps', async () => {
    await start();
    const key = api.key('write:email', 'write:calendar');
    for (let i = 0; i < 6; i++) {
      await post('/v1/email/sync', asKey(key));
      await post('/v1/calendar/sync', asKey(key));
    }
    expect((await post('/v1/email/sync', asKey(key))).statusCode).toBe(429);
    expect((await post('/v1/calendar/sync', asKey(key))).statusCode).toBe(429);
    await api.runner.idle();
    advance(MINUTE);
    const email = await post('/v1/email/sync', asUi());
    const calendar = await post('/v1/calendar/sync', asUi());
    expect(email.statusCode).toBe(200);
    expect(calendar.statusCode).toBe(200);
    // The answering bucket is the session's general request budget, not a script's sync cap.
    expect(email.headers['x-ratelimit-limit']).toBe(String(defaultRateLimits.requestsPerMinute));
    // ...and the UI took nothing from the scripts' caps.
    const script = await post('/v1/email/sync', asKey(key));
    expect(limitHeaders(script)).toMatchObject({ limit: '6', remaining: '0' });
  });

  it('answers the UI’s repeated Sync now with the sync already queued or running, and (with a gap set) briefly with the one just done', async () => {
    await start({ uiSyncGapSeconds: 10 });
    let held = holdSyncs();
    const first = await post('/v1/email/sync', asUi());
    expect(first.statusCode).toBe(200);
    const jobId = first.json().data.job_id;
    for (let i = 0; i < 20; i++) {
      const again = await post('/v1/email/sync', asUi());
      expect(again.statusCode).toBe(200);
      expect(again.json().data.job_id).toBe(jobId);
    }
    held.release();
    await api.runner.idle();
    advance(10_000 - 1);
    const justDone = await post('/v1/email/sync', asUi());
    expect(justDone.json().data).toMatchObject({ job_id: jobId, status: 'succeeded' });
    advance(1);
    const next = await post('/v1/email/sync', asUi());
    expect(next.json().data.job_id).not.toBe(jobId);
    held.release();
    await api.runner.idle();
    advance(MINUTE);
    held = holdSyncs();
    const full = await post('/v1/email/sync', asKey(api.key('write:email')), { mode: 'full' });
    expect(full.statusCode).toBe(200);
    // A script's full sync under way: the UI's press is answered with it, not refused with 409.
    const duringFull = await post('/v1/email/sync', asUi());
    expect(duringFull.statusCode).toBe(200);
    expect(duringFull.json().data).toMatchObject({ job_id: full.json().data.job_id, mode: 'full' });
    held.release();
  });

  it('never takes a slot for a sync refused with 409', async () => {
    await start({ syncPerHour: 2, serviceSyncPerHour: 2 });
    const key = api.key('write:email');
    const held = holdSyncs();
    expect(limitHeaders(await post('/v1/email/sync', asKey(key), { mode: 'full' }))).toMatchObject({ remaining: '1' });
    for (let i = 0; i < 5; i++) {
      const refused = await post('/v1/email/sync', asKey(key));
      expect(refused.statusCode).toBe(409);
      expect(limitHeaders(refused)).toMatchObject({ limit: '2', remaining: '1' });
    }
    await held.running;
    for (let i = 0; i < 5; i++) {
      const refused = await serviceSync(gmailId);
      expect(refused.statusCode).toBe(409);
      expect(limitHeaders(refused)).toMatchObject({ limit: '2', remaining: '2' });
    }
    held.release();
  });

  it('gives the gmail-connections trigger its own bucket per connection', async () => {
    await start({ syncPerHour: 1, connectionSyncPerHour: 2 });
    const key = api.key('write:email');
    const dolfin = (id: string) =>
      api.app.inject({ method: 'POST', url: `/gmail-connections/${id}/sync`, headers: { host, 'x-dolfin-api-key': key } });
    expect((await post('/v1/email/sync', asKey(key))).statusCode).toBe(200);
    expect((await post('/v1/email/sync', asKey(key))).statusCode).toBe(429);
    for (const remaining of ['1', '0']) {
      const res = await dolfin(gmailId);
      expect(res.statusCode).toBe(202);
      expect(limitHeaders(res)).toMatchObject({ limit: '2', remaining });
      await api.runner.idle();
    }
    const over = await dolfin(gmailId);
    expect(over.statusCode).toBe(429);
    expect(limitHeaders(over)).toMatchObject({ limit: '2', remaining: '0' });
    expect((await dolfin(otherGmailId)).statusCode).toBe(202);
  });

  it('keeps the counts across a restart', async () => {
    const path = join(dir.path, `restart-${dbFile++}.db`);
    await start({}, path);
    const key = api.key('write:email');
    for (let i = 0; i < 6; i++) expect((await post('/v1/email/sync', asKey(key))).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await serviceSync(gmailId)).statusCode).toBe(200);
    await stop();
    await start({}, path);
    const after = await post('/v1/email/sync', asKey(api.key('write:email')));
    expect(after.statusCode).toBe(429);
    expect(limitHeaders(await serviceSync(gmailId))).toMatchObject({
      remaining: String(defaultRateLimits.serviceSyncPerHour - 4),
    });
  });
});
