import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { type RunningServe, runCli, startServe } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

describe('one writer at a time on a data directory', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  const first = join(dir.path, 'first.mbox');
  const second = join(dir.path, 'second.mbox');
  let serve: RunningServe;

  beforeAll(async () => {
    writeCorpusMbox(first, 20);
    writeCorpusMbox(second, 20, 20);
    expect((await runCli(['import-mbox', first, '--data-dir', dataDir])).code).toBe(0);
    serve = await startServe(dataDir);
  });
  afterAll(async () => {
    await serve?.stop();
    dir.remove();
  });

  const messageCount = async () => {
    const response = await fetch(
      `${serve.baseUrl}/v1/email/search?q=${encodeURIComponent('is:read OR is:unread')}&group=messages&limit=100`,
      {
        headers: { authorization: `Bearer ${serve.sessionToken}` },
      },
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { data: unknown[] }).data.length;
  };

  it('import-mbox refuses while outpost serve holds the directory, naming it, and imports nothing', async () => {
    const before = await messageCount();
    const refused = await runCli(['import-mbox', second, '--data-dir', dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^outpost: another Outpost \\(pid ${serve.process.pid}, API on 127\\.0\\.0\\.1:\\d+\\) is using .* \\(outpost serve\\)`,
      ),
    );
    expect(refused.stderr).toMatch(/POST \/v1\/email\/import|stop it/);
    expect(await messageCount()).toBe(before);
  });

  it('once serve is gone, the same import runs', async () => {
    await serve.stop();
    const imported = await runCli(['import-mbox', second, '--data-dir', dataDir]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/^imported 20 messages/);
    serve = await startServe(dataDir);
    expect(await messageCount()).toBe(40);
  });
});
