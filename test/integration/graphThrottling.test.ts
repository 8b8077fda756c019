/**
 * Outlook syncs converge under Exchange's limits as the emulator models them (per app and
 * mailbox: a request budget per window, 4 requests in flight), scaled so the test is quick:
 * 20 requests per 1-second window is about Exchange's own rate (10,000 per 600 s is 16.7 a
 * second), and every request takes a few milliseconds so concurrent callers can collide. Outpost must never go
 * over the concurrency limit, must wait out each Retry-After, and must log every retry with
 * its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { memoryLog } from '../../main/core/log.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import {
  emulatorControl,
  type GraphSnapshotMessage,
  indexAsGraphSnapshot,
  microsoftConfigFor,
  normalizeGraphSnapshot,
} from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'bob@contoso.test';
const LIMITS = { requestsPer10Min: 20, windowSec: 1, maxConcurrentPerMailbox: 4, retryAfterSec: 1, latencyMs: 3 };

/** A message with one small file attached: Outpost lists and downloads it (two requests), the pages' fetches at once. */
function withAttachment(i: number): string {
  const boundary = `b${i}x`;
  return [
    'From: dan@example.test',
    'To: bob@contoso.test',
    `Subject: Report ${i}`,
    `Message-ID: <report-${i}-${Math.random().toString(36).slice(2)}@example.test>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Report number ${i}.`,
    `--${boundary}`,
    `Content-Type: text/csv; name="report-${i}.csv"`,
    `Content-Disposition: attachment; filename="report-${i}.csv"`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(`n,value\n${i},${i * i}\n`).toString('base64'),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

interface ThrottleState {
  counts: { requests: number; windowThrottled: number; concurrencyThrottled: number; peakInFlight: number };
}

describe('Outlook sync under Exchange limits (budget per window, 4 in flight per mailbox)', () => {
  const dir = makeTempDir();
  const memory = memoryLog('info');
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;

  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);
  const throttleState = async () => (await control('/microsoft/throttle')) as unknown as ThrottleState;
  const remote = async () => {
    const snapshot = (await control('/snapshot')) as {
      microsoft: { users: Array<{ upn: string; messages: GraphSnapshotMessage[] }> };
    };
    return normalizeGraphSnapshot(snapshot.microsoft.users.find((u) => u.upn === USER)?.messages ?? []);
  };
  /** Mail and calendars of the account at once, as the scheduler runs them: two clients on one mailbox. */
  const syncBoth = async (mode: 'full' | 'incremental') => {
    const mail = engine.jobs.enqueue({ kind: 'email_sync', mode, accountIds: [accountId] });
    const calendars = engine.jobs.enqueue({ kind: 'calendar_sync', mode, accountIds: [accountId] });
    engine.runner.wake();
    await engine.runner.idle();
    return [engine.jobs.get(mail.id), engine.jobs.get(calendars.id)];
  };

  beforeAll(async () => {
    emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: 400 } });
    engine = openEngine({
      log: memory.log,
      dataDir: dir.path,
      providers: { google: null, microsoft: microsoftConfigFor(emulator.baseUrl) },
    });
    const account = await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
    accountId = account.id;
    for (let i = 0; i < 30; i++) await control('/microsoft/messages', { method: 'POST', body: { raw: withAttachment(i) } });
    await control('/microsoft/throttle', { method: 'POST', body: { ...LIMITS, reset: true } });
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('a full sync converges, never over 4 requests in flight, waiting out each spent window', async () => {
    const jobs = await syncBoth('full');
    for (const job of jobs) expect(job?.error ?? null).toBeNull();
    expect(indexAsGraphSnapshot(engine.db, accountId)).toEqual(await remote());
    const { counts } = await throttleState();
    expect(counts.concurrencyThrottled).toBe(0);
    expect(counts.peakInFlight).toBeLessThanOrEqual(4);
    // The scaled budget was really spent (the sync needed several windows), and each refusal was logged with its reason.
    expect(counts.requests).toBeGreaterThan(3 * LIMITS.requestsPer10Min);
    expect(counts.windowThrottled).toBeGreaterThan(0);
    const retries = memory.lines().filter((l) => l.msg === 'retrying');
    expect(retries.length).toBe(counts.windowThrottled);
    for (const r of retries) expect(String(r.reason)).toMatch(/^429 ApplicationThrottled/);
  }, 120_000);

  it('an incremental sync after new mail, moves, changes and deletes converges under the same limits', async () => {
    // Graph ids are random, so the four messages changed are chosen among those without a report attached:
    // deleting a report would leave 59 attachments to expect (a CI run once picked one).
    const reports = new Set(
      (
        engine.db
          .prepare("SELECT remote_id AS id FROM messages WHERE account_id = ? AND subject LIKE 'Report %'")
          .all(accountId) as Array<{ id: string }>
      ).map((r) => r.id),
    );
    expect(reports.size).toBe(30);
    const [a, b, c, d] = (await remote()).filter((m) => !reports.has(m.id));
    for (let i = 30; i < 60; i++) await control('/microsoft/messages', { method: 'POST', body: { raw: withAttachment(i) } });
    await control(`/microsoft/messages/${a?.id}/move`, { method: 'POST', body: { folder: 'archive' } });
    await control(`/microsoft/messages/${b?.id}`, {
      method: 'PATCH',
      body: { isRead: !b?.isRead, categories: ['Red category'] },
    });
    await control(`/microsoft/messages/${c?.id}`, { method: 'DELETE' });
    await control(`/microsoft/messages/${d?.id}/reply`, { method: 'POST', body: { from: 'carol@example.test', body: 'Reply' } });
    const before = (await throttleState()).counts;
    const jobs = await syncBoth('incremental');
    for (const job of jobs) expect(job?.error ?? null).toBeNull();
    expect(indexAsGraphSnapshot(engine.db, accountId)).toEqual(await remote());
    const { counts } = await throttleState();
    expect(counts.concurrencyThrottled).toBe(before.concurrencyThrottled);
    expect(counts.peakInFlight).toBeLessThanOrEqual(4);
    expect(counts.requests - before.requests).toBeGreaterThan(2 * LIMITS.requestsPer10Min);
    const attachments = engine.db
      .prepare(
        "SELECT COUNT(*) AS n FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.account_id = ? AND a.filename LIKE 'report-%' AND a.blob_sha256 IS NOT NULL",
      )
      .get(accountId) as { n: number };
    expect(attachments.n).toBe(60);
  }, 120_000);
});
