import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../main/api/auth/sessions.ts';
import { type Core, type CoreConfig, startCore } from '../../main/core/startCore.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { autoConsentBrowser, emulatorControl, googleConfigFor } from '../support/emulatorAccounts.ts';
import { OutageRelay } from '../support/outageRelay.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';

/**
 * Mail left `sending` by a core that died (Gmail took one message, the other
 * never left) and a new core started while Google is unreachable: the rows
 * settle in the next delivery pass once Google is back, not only at a
 * start-up, and the one that never left can be cancelled then.
 */
describe('uncertain outbox rows settle after a start offline (Gmail, emulator)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let relay: OutageRelay;
  let core: Core | null = null;
  let session: string;

  const config = (): CoreConfig => ({
    dataDir: dir.path,
    port: 0,
    version: 'test',
    rendererDir: null,
    schedule: false,
    providers: { google: googleConfigFor(`https://127.0.0.1:${relay.port}`), microsoft: null },
    gmailQuota: { unitsPerSecond: 1_000_000 },
  });
  const running = () => core as Core;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${running().baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${session}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const control = () => emulatorControl(emulator);
  const sendCalls = async () =>
    ((await control()('/counters')) as { requests: Record<string, number> }).requests['gmail.users.messages.send'] ?? 0;
  const sentWithSubject = async (subject: string) => {
    const { access_token } = (await control()('/google/tokens', {
      method: 'POST',
      body: { email: USER, scopes: ['https://mail.google.com/'] },
    })) as { access_token: string };
    const q = encodeURIComponent(`subject:"${subject}"`);
    const response = await fetch(`${emulator.baseUrl}/gmail/v1/users/me/messages?labelIds=SENT&q=${q}`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    return (((await response.json()) as { messages?: unknown[] }).messages ?? []).length;
  };
  const row = (id: string) =>
    running().db.prepare('SELECT status, last_error FROM outbox WHERE id = ?').get(id) as
      | { status: string; last_error: string | null }
      | undefined;

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 20 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    relay = new OutageRelay(Number(new URL(emulator.baseUrl).port));
    await relay.up();
    core = await startCore(config());
    await running().providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
    session = createSession(running().db, { admin: true }).token;
  }, 60_000);
  afterAll(async () => {
    await core?.close();
    await relay?.down();
    await emulator?.stop();
    dir.remove();
  });

  it('settles a row Gmail took in a delivery pass once Google is back, and cancels the one that never left', async () => {
    // Gmail stores this one, then the connection drops before its answer.
    await control()('/faults', {
      method: 'POST',
      body: { fault: { endpoint: 'gmail.users.messages.send', kind: 'reset', count: 1 } },
    });
    const took = (
      (await (await call('POST', '/v1/email/send', { to: 'jane@example.test', subject: 'Taken', body_text: 'x' })).json()) as {
        data: { id: string };
      }
    ).data;
    expect(await sentWithSubject('Taken')).toBe(1);
    // This one never reaches Gmail.
    await relay.down();
    const never = (
      (await (await call('POST', '/v1/email/send', { to: 'jane@example.test', subject: 'Never', body_text: 'y' })).json()) as {
        data: { id: string; status: string };
      }
    ).data;
    expect(never.status).toBe('queued');
    // The core dies with both in flight (as a kill between claiming a row and the provider's answer leaves them).
    running().db.prepare(`UPDATE outbox SET status = 'sending' WHERE id IN (?, ?)`).run(took.id, never.id);
    await running().close();
    core = null;
    const callsBefore = await sendCalls();

    // A new core, started while Google is unreachable: its start-up check cannot tell, so both stay.
    core = await startCore(config());
    session = createSession(running().db, { admin: true }).token;
    await expect.poll(() => row(never.id)?.last_error ?? '', { timeout: 30_000 }).toMatch(/could not check/);
    await expect.poll(() => row(took.id)?.last_error ?? '', { timeout: 30_000 }).toMatch(/could not check/);
    const refused = await call('DELETE', `/v1/email/outbox/${never.id}`);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe('send_in_progress');
    expect(row(never.id)?.status).toBe('sending');

    // Google is back. Cancel asks Sent first: not there, so it is cancelled.
    await relay.up();
    expect((await call('DELETE', `/v1/email/outbox/${never.id}`)).status).toBe(204);
    expect(row(never.id)).toBeUndefined();
    // What the 30-second timer does: the pass finds the other one in Sent and marks it sent, sending nothing.
    await running().send.outbox.deliverDue();
    expect(row(took.id)?.status).toBe('sent');
    const status = (await (await call('GET', `/v1/email/outbox`)).json()) as { data: unknown[] };
    expect(status.data).toEqual([]);
    expect((await sendCalls()) - callsBefore).toBe(0);
    expect(await sentWithSubject('Taken')).toBe(1);
    expect(await sentWithSubject('Never')).toBe(0);
  }, 90_000);
});
