import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { CLI, runCli } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

/**
 * The built CLI as `outpost search` runs it: every module file it loads,
 * recorded by a module hook (node:module registerHooks). Each command is one
 * bundle of Outpost's code (dist/main/commands/), so a search loads the CLI
 * and its command's file, then the packages it uses (better-sqlite3, stemmer),
 * none of the sync's, the providers' or the server's (docs/benchmarks.md,
 * CLI start-up).
 */
describe('the built outpost search loads few files', () => {
  it('two files of Outpost, and only better-sqlite3 and stemmer from node_modules', async () => {
    const dir = makeTempDir();
    try {
      const dataDir = join(dir.path, 'data');
      const mbox = join(dir.path, 'a.mbox');
      writeCorpusMbox(mbox, 20);
      expect((await runCli(['import-mbox', mbox, '--data-dir', dataDir])).code).toBe(0);
      const hook = join(dir.path, 'hook.mjs');
      writeFileSync(
        hook,
        `import { registerHooks } from 'node:module';
const loaded = [];
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
process.on('exit', () => process.stderr.write(JSON.stringify(loaded)));
`,
      );
      const result = spawnSync(process.execPath, ['--import', hook, CLI, 'search', 'linux', '--data-dir', dataDir], {
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      const loaded = JSON.parse(result.stderr) as string[];
      const files = loaded.filter((url) => url.startsWith('file:')).map((url) => new URL(url).pathname);
      const ours = files.filter((f) => f.includes('/dist/'));
      const packages = [...new Set(files.flatMap((f) => /\/node_modules\/((@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []))].sort();
      expect(ours.map((f) => f.replace(/^.*\/dist\//, 'dist/'))).toEqual([
        'dist/main/cli.js',
        'dist/main/commands/searchCommand/searchCommand.js',
      ]);
      expect(packages).toEqual(['better-sqlite3', 'stemmer']);
    } finally {
      dir.remove();
    }
  });
});
