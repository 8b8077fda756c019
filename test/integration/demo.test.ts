import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const DEMO = join(import.meta.dirname, '..', '..', 'scripts', 'demo.ts');

/** `npm run demo`: what a newcomer runs first must work end to end and clean up after itself. */
describe('npm run demo', () => {
  let demo: ChildProcess | null = null;
  afterAll(() => {
    if (demo && demo.exitCode === null) demo.kill('SIGKILL');
  });

  it('connects both demo accounts, prints UI, API key and emulator lines at once, then one progress line per account with totals (mail, calendars), and stops everything on SIGINT', async () => {
    demo = spawn(
      process.execPath,
      ['--experimental-strip-types', '--no-warnings', DEMO, '--port', '0', '--seed', 'synthetic:200'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_EXTRA_CA_CERTS: '', OUTPOST_TEST_TLS_DIR: '' } },
    );
    let stdout = '';
    let stderr = '';
    demo.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const lines = await new Promise<{ ui: string; key: string; emulator: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`demo not ready:\n${stdout}\n${stderr}`)), 90_000);
      demo?.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const ui = /^UI: (\S+)$/m.exec(stdout)?.[1];
        const key = /^API key: (wbk_\S+)$/m.exec(stdout)?.[1];
        const emulator = /^Emulator: (\{.*\})$/m.exec(stdout)?.[1];
        if (ui && key && emulator) {
          clearTimeout(timer);
          resolve({ ui, key, emulator });
        }
      });
      demo?.once('exit', (code) => reject(new Error(`demo exited ${code}:\n${stdout}\n${stderr}`)));
    });
    expect(stderr).toMatch(/Connected alice@gmail\.test \(Google\)/);
    expect(stderr).toMatch(/Connected bob@contoso\.test \(Microsoft\)/);
    // The address comes as soon as the server answers: before any account's progress, not after the whole sync.
    const uiAt = stdout.indexOf('UI: ');
    for (const email of ['alice@gmail.test', 'bob@contoso.test']) {
      const firstLine = stdout.indexOf(`\n${email}  `);
      expect(firstLine === -1 || firstLine > uiAt, stdout).toBe(true);
    }
    // Then one line per account (plain lines: not a terminal) until both have synced mail and calendars.
    const finalLines = await new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sync progress did not end:\n${stdout}\n${stderr}`)), 90_000);
      const check = () => {
        const done = ['alice@gmail.test', 'bob@contoso.test'].map(
          (email) => new RegExp(`^${email.replace(/\./g, '\\.')}  .* done$`, 'm').exec(stdout)?.[0],
        );
        if (done.every((line) => line !== undefined)) {
          clearTimeout(timer);
          resolve(done as string[]);
        }
      };
      check();
      demo?.stdout?.on('data', check);
    });
    for (const line of finalLines) {
      // Each with its total: all of the mailbox's messages, every calendar, and the events they hold.
      const [, done, total] = /(\d+)\/(\d+) messages/.exec(line) ?? [];
      expect(Number(total), line).toBeGreaterThan(0);
      expect(done, line).toBe(total);
      const [, calendarsDone, calendarsTotal, events] = /calendars (\d+)\/(\d+), (\d+) events/.exec(line) ?? [];
      expect(Number(calendarsTotal), line).toBeGreaterThan(0);
      expect(calendarsDone, line).toBe(calendarsTotal);
      expect(Number(events), line).toBeGreaterThan(0);
    }
    expect(stdout.includes('\x1b['), 'plain lines in a pipe, no cursor movement').toBe(false);

    const origin = new URL(lines.ui).origin;
    const accounts = (await (
      await fetch(`${origin}/v1/accounts`, { headers: { authorization: `Bearer ${lines.key}` } })
    ).json()) as {
      data: Array<{ provider: string; email: string; last_synced_at: string | null }>;
    };
    expect(accounts.data.map((a) => [a.provider, a.email]).sort()).toEqual([
      ['gmail', 'alice@gmail.test'],
      ['microsoft', 'bob@contoso.test'],
    ]);
    expect(accounts.data.every((a) => a.last_synced_at !== null)).toBe(true);
    const threads = (await (
      await fetch(`${origin}/v1/email/threads?limit=5`, { headers: { authorization: `Bearer ${lines.key}` } })
    ).json()) as { data: unknown[] };
    expect(threads.data.length).toBe(5);
    const emulator = JSON.parse(lines.emulator) as { baseUrl: string; controlUrl: string; users: unknown[] };
    expect(emulator.users.length).toBeGreaterThanOrEqual(2);

    demo.kill('SIGINT');
    const [code] = (await once(demo, 'exit')) as [number];
    expect(code).toBe(0);
    // Nothing it started is still listening.
    expect(await connectError(origin)).toBe('ECONNREFUSED');
    expect(await connectError(emulator.baseUrl)).toBe('ECONNREFUSED');
  }, 200_000);
});

/** The error of a plain TCP connect to the URL's port ('none' when something accepts it). */
function connectError(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve('none');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
