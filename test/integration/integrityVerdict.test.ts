import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { writeRandomBytesIntoMiddle } from '../support/damageIndex.ts';
import { runCli } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

/**
 * Short commands on an index small enough to check before opening (README:
 * damaged index) pay the check once per state of the file: the clean verdict
 * is kept beside the index (index.sqlite.clean.json) and rewritten only when
 * the check runs again. Damage written after it is still found by the next command.
 */
describe('outpost search on an unchanged index skips the integrity check; damage is still found', () => {
  it('checks once, reuses the verdict while nothing changes, and refuses once the file is damaged', async () => {
    const dir = makeTempDir();
    try {
      const dataDir = join(dir.path, 'data');
      const mbox = join(dir.path, 'a.mbox');
      writeCorpusMbox(mbox, 200);
      expect((await runCli(['import-mbox', mbox, '--data-dir', dataDir])).code).toBe(0);
      const verdict = join(dataDir, 'index.sqlite.clean.json');

      const first = await runCli(['search', 'linux', '--data-dir', dataDir]);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      const checked = readFileSync(verdict, 'utf8');
      for (const args of [['search', 'linux'], ['accounts', 'list'], ['agenda']]) {
        const run = await runCli([...args, '--data-dir', dataDir]);
        expect(run.code, args.join(' ')).toBe(0);
        // The check did not run: it would have written the verdict again (another checkedAt).
        expect(readFileSync(verdict, 'utf8'), args.join(' ')).toBe(checked);
      }

      writeRandomBytesIntoMiddle(join(dataDir, 'index.sqlite'));
      const damaged = await runCli(['search', 'linux', '--data-dir', dataDir]);
      expect(damaged.code).toBe(1);
      expect(damaged.stdout).toBe('');
      expect(damaged.stderr.trimEnd()).toMatch(/^outpost: the index .*index\.sqlite is damaged \(.+\); .*run outpost repair$/);
    } finally {
      dir.remove();
    }
  });
});
