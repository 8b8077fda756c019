import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { connectGoogleWithKey, emulatorControl, providerEnvFor } from '../support/emulatorAccounts.ts';
import { CLI } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';
/** However loaded the machine, each wait ends within this, or the test fails saying which. */
const LIMIT_MS = 60_000;
const TEST_MS = 4 * LIMIT_MS;

/** Polls `check` until it holds; past LIMIT_MS fails with `what`. */
async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + LIMIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${LIMIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The worst instant for a send: Gmail has stored the message, and `outpost
 * serve` is killed (SIGKILL: nothing runs on the way out) before it records
 * that. After a restart the message must not go out a second time.
 */
describe('SIGKILL between the provider accepting a send and the local commit', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let apiKey: string;
  let serve: ChildProcess | null = null;

  const startServe = async (): Promise<string> => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dir.path], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...providerEnvFor(emulator.baseUrl), OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000' },
    });
    serve = child;
    let output = '';
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const url = /^API: (\S+)\/v1$/m.exec(output)?.[1];
        if (url) resolve(url);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
    });
  };
  const sentWithSubject = async (subject: string) => {
    const minted = (await emulatorControl(emulator)('/google/tokens', {
      method: 'POST',
      body: { email: USER, scopes: ['https://mail.google.com/'] },
    })) as { access_token: string };
    const q = encodeURIComponent(`subject:"${subject}"`);
    const response = await fetch(`${emulator.baseUrl}/gmail/v1/users/me/messages?labelIds=SENT&q=${q}`, {
      headers: { authorization: `Bearer ${minted.access_token}` },
    });
    return (((await response.json()) as { messages?: unknown[] }).messages ?? []).length;
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 30 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    apiKey = await connectGoogleWithKey(dir.path, emulator, ['read:email', 'write:email']);
  }, 60_000);
  afterAll(async () => {
    if (serve && serve.exitCode === null) serve.kill('SIGKILL');
    await emulator?.stop();
    dir.remove();
  });

  it(
    'sends exactly once across the kill and the restart',
    async () => {
      const subject = 'Sent just before the crash';
      const baseUrl = await startServe();
      // Gmail will store the message, then hold its answer until the client hangs up: the kill comes
      // once Gmail holds the message (progress seen in Gmail, not a moment picked by the clock).
      await emulatorControl(emulator)('/faults', {
        method: 'POST',
        body: { fault: { endpoint: 'gmail.users.messages.send', kind: 'stall', latencyMs: 600_000, count: 1 } },
      });
      const pending = fetch(`${baseUrl}/v1/email/send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: 'jane@example.test', subject, body_text: 'Exactly once, please.' }),
      }).catch((error: Error) => error);
      await waitFor('Gmail did not receive the send', async () => (await sentWithSubject(subject)) > 0);
      serve?.kill('SIGKILL');
      await once(serve as ChildProcess, 'exit');
      expect(await pending).toBeInstanceOf(Error); // the client saw the server die, not an answer

      // Restart: the row left "sending" is settled by looking it up in Gmail's Sent mail.
      const restarted = await startServe();
      await waitFor('the restarted core did not show the message as sent', async () => {
        const threads = await fetch(`${restarted}/v1/email/threads?label=sent&limit=50`, {
          headers: { authorization: `Bearer ${apiKey}` },
        });
        return ((await threads.json()) as { data: Array<{ subject: string }> }).data.some((t) => t.subject === subject);
      });
      // Give a wrongly retrying outbox every chance to send again before counting.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await sentWithSubject(subject)).toBe(1);
      const counters = (await emulatorControl(emulator)('/counters')) as { requests: Record<string, number> };
      expect(counters.requests['gmail.users.messages.send']).toBe(1);
      serve?.kill('SIGTERM');
      await once(serve as ChildProcess, 'exit');
    },
    TEST_MS,
  );
});
