import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadListResponse, ThreadResponse } from '../../shared/api/threads.ts';
import { loadCorpus } from '../emulator/kit/corpus.ts';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { type RunningServe, runCli, startServe } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

const IMPORTED = 200;

describe('outpost serve over an index seeded by import-mbox', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  let serve: RunningServe;

  beforeAll(async () => {
    const mbox = join(dir.path, 'corpus.mbox');
    writeCorpusMbox(mbox, IMPORTED);
    const imported = await runCli(['import-mbox', mbox, '--data-dir', dataDir, '--account', 'me@example.test']);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(new RegExp(`imported ${IMPORTED} messages into me@example.test`));
    serve = await startServe(dataDir);
  });
  afterAll(async () => {
    await serve?.stop();
    dir.remove();
  });

  const api = async <T = ThreadListResponse>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(serve.baseUrl + path, { headers: { authorization: `Bearer ${serve.sessionToken}` } });
    return { status: response.status, body: (await response.json()) as T };
  };

  it('binds to 127.0.0.1 only', () => {
    expect(new URL(serve.baseUrl).hostname).toBe('127.0.0.1');
  });

  it('reads back every imported message over HTTP, threaded', async () => {
    let messages = 0;
    let threads = 0;
    let cursor: string | null = null;
    do {
      const page: { status: number; body: ThreadListResponse } = await api(
        `/v1/email/threads?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      threads += page.body.data.length;
      messages += page.body.data.reduce((sum: number, t: { message_count: number }) => sum + t.message_count, 0);
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(messages).toBe(IMPORTED);
    expect(threads).toBeLessThan(IMPORTED); // replies were threaded together
  });

  it('returns a real message with its decoded headers and body', async () => {
    const first = loadCorpus()[0]!.raw.toString('latin1');
    const subject = /^Subject: (.*)$/m.exec(first)![1]!.trim();
    const list = await api('/v1/email/threads?limit=500');
    const summary = list.body.data.find((t: { subject: string }) => t.subject === subject);
    expect(summary).toBeDefined();
    const thread = await api<ThreadResponse>(`/v1/email/threads/${summary!.id}`);
    expect(thread.status).toBe(200);
    const message = thread.body.data.messages.find((m: { subject: string }) => m.subject === subject);
    expect(message?.from?.email).toMatch(/@/);
    expect(message?.body_text.length).toBeGreaterThan(20);
  });

  it('imports the same mbox again without duplicating anything (once serve has stopped: one writer at a time)', async () => {
    const mbox = join(dir.path, 'corpus.mbox');
    const refused = await runCli(['import-mbox', mbox, '--data-dir', dataDir, '--account', 'me@example.test']);
    expect(refused.stderr).toMatch(/^outpost: another Outpost .* \(outpost serve\); stop it, then run this import again/);
    await serve.stop();
    const again = await runCli(['import-mbox', mbox, '--data-dir', dataDir, '--account', 'me@example.test']);
    expect(again.code).toBe(0);
    serve = await startServe(dataDir);
    const list = await api('/v1/email/threads?limit=500');
    const total = list.body.data.reduce((sum: number, t: { message_count: number }) => sum + t.message_count, 0);
    expect(total).toBe(IMPORTED);
  });

  it('refuses a second engine on the same data directory, naming the running one', async () => {
    const second = await runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^outpost: another Outpost \(pid \d+, API on 127\.0\.0\.1:\d+\) is using /);
  });

  it('serves the built UI with a strict Content-Security-Policy', async () => {
    const response = await fetch(`${serve.baseUrl}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe('outpost CLI on bad input: one line, non-zero exit, user data untouched', () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  const expectOneLineError = (result: { code: number; stdout: string; stderr: string }, pattern: RegExp) => {
    expect(result.code).not.toBe(0);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^outpost: /);
    expect(result.stderr).toMatch(pattern);
  };

  it('reports a corrupt index (health, one line naming outpost repair) and leaves the file as it was', async () => {
    const dataDir = join(dir.path, 'corrupt');
    mkdirSync(dataDir);
    const garbage = Buffer.from('definitely not sqlite '.repeat(500));
    writeFileSync(join(dataDir, 'index.sqlite'), garbage);
    const damaged = await startServe(dataDir);
    try {
      const health = (await (await fetch(`${damaged.baseUrl}/v1/health`)).json()) as { status: string };
      expect(health.status).toBe('damaged');
      const read = await runCli(['accounts', 'list', '--data-dir', dataDir]);
      expectOneLineError(read, /is damaged \(file is not a database \(SQLITE_NOTADB\)\).*run outpost repair/);
    } finally {
      await damaged.stop();
    }
    expect(readFileSync(join(dataDir, 'index.sqlite')).equals(garbage)).toBe(true);
  });

  it('reports a data directory that cannot be created', async () => {
    const file = join(dir.path, 'a-file');
    writeFileSync(file, 'x');
    expectOneLineError(
      await runCli(['serve', '--port', '0', '--data-dir', join(file, 'data')]),
      /cannot create data directory|not a directory/,
    );
  });

  it.skipIf(process.getuid?.() === 0)(
    'reports an unwritable data directory (not testable as root, who may write anywhere)',
    async () => {
      const dataDir = join(dir.path, 'readonly');
      mkdirSync(dataDir);
      chmodSync(dataDir, 0o500);
      expectOneLineError(await runCli(['serve', '--port', '0', '--data-dir', dataDir]), /not writable/);
    },
  );

  it('reports a port that is already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      expectOneLineError(await runCli(['serve', '--port', String(port), '--data-dir', join(dir.path, 'busy')]), /already in use/);
    } finally {
      blocker.close();
    }
  });

  it.each([
    [['serve', '--port', 'eighty'], /--port must be a number/],
    [['frobnicate'], /unknown command/],
    [['serve', '--bogus'], /Unknown option/],
    [['import-mbox'], /needs a FILE/],
  ])('rejects bad usage %j with exit 2', async (args, pattern) => {
    const result = await runCli([...args, '--data-dir', join(dir.path, 'usage')]);
    expectOneLineError(result, pattern);
    expect(result.code).toBe(2);
  });

  it('lists accounts, and refuses to sync when nothing is connected', async () => {
    const dataDir = join(dir.path, 'accounts');
    expect((await runCli(['accounts', '--data-dir', dataDir])).stdout).toMatch(/no accounts/);
    expectOneLineError(await runCli(['sync', '--data-dir', dataDir]), /no connected accounts/);
    expectOneLineError(await runCli(['accounts', 'connect', 'yahoo', '--data-dir', dataDir]), /usage: outpost accounts connect/);
  });

  it('removes an imported account only with --yes, by address or id', async () => {
    const dataDir = join(dir.path, 'remove');
    const mbox = join(dir.path, 'remove.mbox');
    writeCorpusMbox(mbox, 5);
    expect((await runCli(['import-mbox', mbox, '--account', 'old@example.test', '--data-dir', dataDir])).code).toBe(0);
    const asked = await runCli(['accounts', 'remove', 'old@example.test', '--data-dir', dataDir]);
    expectOneLineError(asked, /deletes old@example\.test and its 5 messages .*add --yes/);
    expect(asked.code).toBe(2);
    expect((await runCli(['accounts', '--data-dir', dataDir])).stdout).toContain('old@example.test');
    expectOneLineError(await runCli(['accounts', 'remove', 'nobody@example.test', '--yes', '--data-dir', dataDir]), /no account/);
    const removed = await runCli(['accounts', 'remove', 'OLD@example.test', '--yes', '--data-dir', dataDir]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/^removed old@example\.test: 5 messages/);
    expect((await runCli(['accounts', '--data-dir', dataDir])).stdout).toMatch(/no accounts/);
  });

  it('reports an mbox that does not exist or is not an mbox', async () => {
    expectOneLineError(
      await runCli(['import-mbox', join(dir.path, 'missing.mbox'), '--data-dir', join(dir.path, 'd1')]),
      /cannot read/,
    );
    const notMbox = join(dir.path, 'note.txt');
    writeFileSync(notMbox, 'Subject: hi\n\njust a note');
    expectOneLineError(await runCli(['import-mbox', notMbox, '--data-dir', join(dir.path, 'd2')]), /not an mbox/);
  });
});
