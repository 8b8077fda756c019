import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../main/api/auth/sessions.ts';
import { type Core, startCore } from '../../main/core/startCore.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { autoConsentBrowser, emulatorControl, googleConfigFor } from '../support/emulatorAccounts.ts';
import { OutageRelay } from '../support/outageRelay.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';

describe('sending through outages, lost answers and client timeouts (Gmail, emulator)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let outage: OutageRelay;
  let core: Core;
  let token: string;

  const send = (body: unknown, idempotencyKey?: string, signal?: AbortSignal) =>
    fetch(`${core.baseUrl}/v1/email/send`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  /** How many messages with this subject Gmail holds in SENT (read straight from the emulator, not through the relay). */
  const sentWithSubject = async (subject: string) => {
    const control = emulatorControl(emulator);
    const minted = (await control('/google/tokens', {
      method: 'POST',
      body: { email: USER, scopes: ['https://mail.google.com/'] },
    })) as {
      access_token: string;
    };
    const q = encodeURIComponent(`subject:"${subject}"`);
    const response = await fetch(`${emulator.baseUrl}/gmail/v1/users/me/messages?labelIds=SENT&q=${q}`, {
      headers: { authorization: `Bearer ${minted.access_token}` },
    });
    return (((await response.json()) as { messages?: unknown[] }).messages ?? []).length;
  };
  const sendCalls = async () =>
    ((await emulatorControl(emulator)('/counters')) as { requests: Record<string, number> }).requests[
      'gmail.users.messages.send'
    ] ?? 0;
  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 50 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    outage = new OutageRelay(Number(new URL(emulator.baseUrl).port));
    await outage.up();
    const google = googleConfigFor(`https://127.0.0.1:${outage.port}`);
    core = await startCore({
      dataDir: dir.path,
      port: 0,
      version: 'test',
      rendererDir: null,
      schedule: false,
      providers: { google, microsoft: null },
      gmailQuota: { unitsPerSecond: 1_000_000 },
    });
    await core.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
    token = createSession(core.db, { admin: true }).token;
  }, 60_000);
  afterAll(async () => {
    await core?.close();
    await outage?.down();
    await emulator?.stop();
    dir.remove();
  });

  it('queues a message sent while Google is unreachable and delivers it once when it is back', async () => {
    await outage.down();
    const response = await send({ to: 'jane@example.test', subject: 'Written offline', body_text: 'On the train.' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { status: string } }).data.status).toBe('queued');
    expect(await sentWithSubject('Written offline')).toBe(0);
    // Still down: the outbox tick finds nothing it can deliver, and keeps the message.
    await core.send.outbox.deliverDue();
    await outage.up();
    // What the 30-second delivery loop does; the retry is due at once (no wait in the test).
    core.db.prepare(`UPDATE outbox SET next_attempt_at = 0 WHERE status = 'queued'`).run();
    await core.send.outbox.deliverDue();
    expect(await sentWithSubject('Written offline')).toBe(1);
    await core.send.outbox.deliverDue();
    expect(await sentWithSubject('Written offline')).toBe(1);
  }, 60_000);

  it('does not send twice when Google took the message but the answer was lost', async () => {
    const callsBefore = await sendCalls();
    // Gmail stores the message, then the connection drops before the answer arrives.
    await emulatorControl(emulator)('/faults', {
      method: 'POST',
      body: { fault: { endpoint: 'gmail.users.messages.send', kind: 'reset', count: 1 } },
    });
    const response = await send({ to: 'jane@example.test', subject: 'Answer lost', body_text: 'Did it go?' });
    expect(response.status).toBe(200);
    expect(await sentWithSubject('Answer lost')).toBe(1);
    core.db.prepare(`UPDATE outbox SET next_attempt_at = 0 WHERE status = 'queued'`).run();
    await core.send.outbox.deliverDue();
    await core.send.outbox.deliverDue();
    // Found in Sent by its Message-ID instead of being sent again.
    expect(await sentWithSubject('Answer lost')).toBe(1);
    expect((await sendCalls()) - callsBefore).toBe(1);
  }, 60_000);

  it('sends once when a client gives up waiting and retries with the same Idempotency-Key', async () => {
    await emulatorControl(emulator)('/faults', {
      method: 'POST',
      body: { fault: { endpoint: 'gmail.users.messages.send', kind: 'latency', latencyMs: 1_500, count: 1 } },
    });
    const body = { to: 'jane@example.test', subject: 'Patience', body_text: 'One copy only.' };
    await expect(send(body, 'timeout-key-1', AbortSignal.timeout(300))).rejects.toThrow();
    // The script retries until it gets an answer (a 409 while the first request is still in flight).
    let answer: Response | null = null;
    for (let attempt = 0; attempt < 40; attempt++) {
      answer = await send(body, 'timeout-key-1');
      if (answer.status !== 409) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!answer) throw new Error('no answer');
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { data: { status: string } }).data.status).toBe('sent');
    expect(await sentWithSubject('Patience')).toBe(1);
  }, 60_000);
});
