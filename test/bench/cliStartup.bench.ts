// How long short `outpost` commands take as whole processes (what a script
// calling the CLI waits for), against bare Node's start-up in the same run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { machine, median } from './benchStats.ts';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'main', 'cli.js');
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });

const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-'));
try {
  const dataDir = join(dir, 'data');
  const mbox = join(dir, 'corpus.mbox');
  writeCorpusMbox(mbox, 1000);
  execFileSync(process.execPath, [cli, 'import-mbox', mbox, '--data-dir', dataDir], { stdio: 'ignore' });

  const time = (args: string[]) => {
    const runs: number[] = [];
    for (let i = 0; i < 9; i++) {
      const started = performance.now();
      execFileSync(process.execPath, args, { stdio: 'ignore' });
      runs.push(performance.now() - started);
    }
    return median(runs);
  };
  console.log(`machine: ${machine()}`);
  console.log(`node -e 0 (baseline): ${time(['-e', '0']).toFixed(0)} ms`);
  for (const command of [['--version'], ['accounts', 'list'], ['search', 'from:spamassassin'], ['keys', 'list'], ['agenda']]) {
    console.log(`outpost ${command.join(' ')}: ${time([cli, ...command, '--data-dir', dataDir]).toFixed(0)} ms (median of 9)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
