import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import {
  autoConsentBrowser,
  emulatorControl,
  googleConfigFor,
  indexAsGmailSnapshot,
  indexAsGraphSnapshot,
  microsoftConfigFor,
  remoteGmailSnapshot,
  remoteGraphSnapshot,
  runMailSync,
} from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const GMAIL_USER = 'alice@gmail.test';
const OUTLOOK_USER = 'bob@contoso.test';

/**
 * What real services do to a long sync: access tokens die in the middle of it,
 * quota storms answer 429 with Retry-After, backends fail with 5xx. Each sync
 * here must still finish with the index equal to the mailbox.
 */
describe('mail sync under token expiry, 429 storms and 5xx (both providers)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let gmailAccount: string;
  let outlookAccount: string;
  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);

  const expectConverged = async () => {
    expect(indexAsGmailSnapshot(engine.db, gmailAccount)).toEqual(await remoteGmailSnapshot(emulator, GMAIL_USER));
    expect(indexAsGraphSnapshot(engine.db, outlookAccount)).toEqual(await remoteGraphSnapshot(emulator, OUTLOOK_USER));
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 1_500 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    const google = googleConfigFor(emulator.baseUrl);
    const microsoft = microsoftConfigFor(emulator.baseUrl);
    engine = openEngine({
      log: silentLog,
      dataDir: dir.path,
      providers: { google, microsoft },
      gmailQuota: { unitsPerSecond: 1_000_000 },
    });
    gmailAccount = (await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser })).id;
    outlookAccount = (await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser })).id;
  }, 60_000);
  afterEach(async () => {
    await control('/faults', { method: 'DELETE' });
  });
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('refreshes access tokens that expire in the middle of a full sync and finishes', async () => {
    const tokenGrants = async () => ((await control('/counters')) as { requests: Record<string, number> }).requests;
    const before = await tokenGrants();
    let expired = false;
    const unsubscribe = engine.events.subscribe((event) => {
      if (expired || event.type !== 'job.progress' || event.done === 0) return;
      expired = true;
      // Two hours later by the services' clock: every access token handed out so far is dead.
      void control('/clock', { method: 'POST', body: { advanceMs: 2 * 3600 * 1000 } });
    });
    try {
      const gmail = await runMailSync(engine, gmailAccount, 'full');
      expect(gmail).toMatchObject({ status: 'succeeded', error: null });
      expired = false;
      const outlook = await runMailSync(engine, outlookAccount, 'full');
      expect(outlook).toMatchObject({ status: 'succeeded', error: null });
    } finally {
      unsubscribe();
    }
    // Both clients went back to the token endpoints (refresh grants) after the expiry.
    const after = await tokenGrants();
    expect(after['oauth2.token'] ?? 0).toBeGreaterThan(before['oauth2.token'] ?? 0);
    expect(after['identity.token'] ?? 0).toBeGreaterThan(before['identity.token'] ?? 0);
    await expectConverged();
  }, 120_000);

  it('backs off through a 429 storm with Retry-After and 5xx answers, then converges', async () => {
    // New mail on both sides, so the incremental syncs have real work to do under fire.
    for (let i = 0; i < 40; i++) {
      const raw = Buffer.from(
        `From: Storm ${i} <storm${i}@example.test>\r\nTo: ${GMAIL_USER}\r\nSubject: Storm ${i}\r\nMessage-ID: <storm-${i}@example.test>\r\n\r\nBody ${i}`,
      ).toString('base64url');
      await control(`/google/users/${GMAIL_USER}/messages`, {
        method: 'POST',
        body: { raw, labelIds: ['INBOX', 'UNREAD'], encoding: 'base64url' },
      });
      await control('/microsoft/messages', { method: 'POST', body: { subject: `Storm ${i}`, from: `storm${i}@example.test` } });
    }
    await control('/faults', {
      method: 'POST',
      body: {
        seed: 7,
        faults: [
          { endpoint: 'gmail.users.messages.get', kind: 'rateLimit', count: 30, retryAfter: 1 },
          { endpoint: 'gmail.users.history.list', kind: 'status', status: 503, count: 2 },
          { endpoint: 'graph.messages.delta', kind: 'rateLimit', count: 3, retryAfter: 1 },
          { endpoint: 'graph.*', kind: 'status', status: 503, count: 4 },
          { endpoint: 'graph.*', kind: 'status', status: 504, count: 1 },
        ],
      },
    });
    const gmail = await runMailSync(engine, gmailAccount);
    const outlook = await runMailSync(engine, outlookAccount);
    expect(gmail).toMatchObject({ status: 'succeeded', error: null });
    expect(outlook).toMatchObject({ status: 'succeeded', error: null });
    // Every storm fault fired: the syncs really went through them.
    const left = (await control('/faults')) as { faults: Array<{ count?: number }> };
    expect(left.faults).toEqual([]);
    await expectConverged();
  }, 120_000);
});
