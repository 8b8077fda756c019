import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { connectGoogleWithKey, emulatorControl, providerEnvFor } from '../support/emulatorAccounts.ts';
import { type RunningServe, startServe } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';
const SENDS = 20;
/** However loaded the machine, each wait ends within this, or the test fails saying which. */
const LIMIT_MS = 120_000;
const TEST_MS = 4 * LIMIT_MS;

interface SendAnswer {
  id: string;
  status: string;
  provider_message_id?: string | null;
}

/**
 * `kill -9` of `outpost serve` with 20 sends in flight, each under its own
 * Idempotency-Key: 4 answered before the kill, 8 that Gmail stored but had not
 * answered yet, 8 still on their way to Gmail (they never reach it). After a
 * restart the script retries every key with its body: every key must answer
 * (no "still in progress"), with the send it made, and every message must
 * reach Gmail exactly once.
 */
describe('SIGKILL with 20 sends in flight, then every key retried', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let apiKey: string;
  let serve: RunningServe | null = null;

  const control = () => emulatorControl(emulator);
  const sendCalls = async () =>
    ((await control()('/counters')) as { requests: Record<string, number> }).requests['gmail.users.messages.send'] ?? 0;
  /** Gmail's SENT messages with Outpost's test subjects, by subject. */
  const sentBySubject = async () => {
    const { access_token } = (await control()('/google/tokens', {
      method: 'POST',
      body: { email: USER, scopes: ['https://mail.google.com/'] },
    })) as { access_token: string };
    const bySubject = new Map<string, string[]>();
    const list = await fetch(
      `${emulator.baseUrl}/gmail/v1/users/me/messages?labelIds=SENT&maxResults=500&q=${encodeURIComponent('subject:"In flight"')}`,
      { headers: { authorization: `Bearer ${access_token}` } },
    );
    for (const { id } of ((await list.json()) as { messages?: Array<{ id: string }> }).messages ?? []) {
      const message = await fetch(
        `${emulator.baseUrl}/gmail/v1/users/me/messages/${id}?format=metadata&metadataHeaders=Subject`,
        {
          headers: { authorization: `Bearer ${access_token}` },
        },
      );
      const headers = ((await message.json()) as { payload: { headers: Array<{ name: string; value: string }> } }).payload
        .headers;
      const subject = headers.find((h) => h.name.toLowerCase() === 'subject')?.value ?? '';
      bySubject.set(subject, [...(bySubject.get(subject) ?? []), id]);
    }
    return bySubject;
  };
  const body = (i: number) => ({ to: 'jane@example.test', subject: `In flight ${i}`, body_text: `Message ${i}, once.` });
  const send = (baseUrl: string, i: number) =>
    fetch(`${baseUrl}/v1/email/send`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': `in-flight-key-${i}`,
      },
      body: JSON.stringify(body(i)),
    });
  const start = () =>
    startServe(dir.path, [], {
      ...providerEnvFor(emulator.baseUrl),
      OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000',
      // The test fires 20 sends at once; the per-second cap is not what it is about.
      OUTPOST_SEND_PER_SECOND: '1000',
    });

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 10 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    apiKey = await connectGoogleWithKey(dir.path, emulator, ['read:email', 'write:email']);
  }, 60_000);
  afterAll(async () => {
    if (serve && serve.process.exitCode === null) serve.process.kill('SIGKILL');
    await emulator?.stop();
    dir.remove();
  });

  it(
    'answers every key with its send and delivers every message exactly once',
    async () => {
      serve = await start();
      const first = serve.baseUrl;
      const answeredBefore: SendAnswer[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await send(first, i);
        expect(response.status).toBe(200);
        answeredBefore.push(((await response.json()) as { data: SendAnswer }).data);
      }
      // 8 that Gmail stores and does not answer, then 8 held on their way in.
      await control()('/faults', {
        method: 'POST',
        body: { fault: { endpoint: 'gmail.users.messages.send', kind: 'stall', latencyMs: 600_000, count: 8 } },
      });
      const inFlight: Promise<unknown>[] = [];
      for (let i = 4; i < 12; i++) inFlight.push(send(first, i).catch((error: Error) => error));
      await expect.poll(sendCalls, { timeout: LIMIT_MS, message: 'Gmail did not see the first 12 sends' }).toBe(12);
      await control()('/faults', {
        method: 'POST',
        body: { fault: { endpoint: 'gmail.users.messages.send', kind: 'latency', latencyMs: 600_000, count: 8 } },
      });
      for (let i = 12; i < SENDS; i++) inFlight.push(send(first, i).catch((error: Error) => error));
      await expect.poll(sendCalls, { timeout: LIMIT_MS, message: 'the last 8 sends did not reach Gmail' }).toBe(SENDS);

      serve.process.kill('SIGKILL');
      await once(serve.process, 'exit');
      for (const outcome of await Promise.all(inFlight)) expect(outcome).toBeInstanceOf(Error);
      await control()('/faults', { method: 'DELETE' });
      // Gmail holds the 4 answered and the 8 it stored; the 8 on their way never arrived.
      expect([...(await sentBySubject()).keys()].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `In flight ${i}`).sort());

      serve = await start();
      const second = serve.baseUrl;
      const retried = await Promise.all(Array.from({ length: SENDS }, (_, i) => send(second, i)));
      expect(retried.map((r) => r.status)).toEqual(Array(SENDS).fill(200));
      const answers = await Promise.all(retried.map(async (r) => ((await r.json()) as { data: SendAnswer }).data));
      // The keys answered before the kill replay their sends.
      expect(answers.slice(0, 4).map((a) => a.id)).toEqual(answeredBefore.map((a) => a.id));
      expect(new Set(answers.map((a) => a.id)).size).toBe(SENDS);

      // Each key, asked again until its send has gone out, names the message Gmail holds.
      const final = new Map<number, SendAnswer>();
      await expect
        .poll(
          async () => {
            for (let i = 0; i < SENDS; i++) {
              if (final.get(i)?.status === 'sent') continue;
              final.set(i, ((await (await send(second, i)).json()) as { data: SendAnswer }).data);
            }
            return [...final.values()].filter((a) => a.status === 'sent').length;
          },
          { timeout: LIMIT_MS, interval: 200, message: 'not every key answered with its send' },
        )
        .toBe(SENDS);
      const sent = await sentBySubject();
      for (let i = 0; i < SENDS; i++) {
        expect(sent.get(`In flight ${i}`), `In flight ${i}`).toHaveLength(1);
        expect(final.get(i)?.id).toBe(answers[i]?.id);
        expect(final.get(i)?.provider_message_id).toBe(sent.get(`In flight ${i}`)?.[0]);
      }
      // The 8 Gmail stored were found there, not sent again; only the 8 that never arrived were.
      expect(await sendCalls()).toBe(SENDS + 8);
      await serve.stop();
    },
    TEST_MS,
  );
});
