// What making an existing data directory private costs at engine start
// (main/core/privateFiles.ts: looksPrivate, the check every start makes, and
// tightenDataDir, the walk when it fails: directories 0700, files 0600): a data directory with BENCH_BLOBS blob files (default 100,000, spread
// over blobs/<aa>/ as BlobStore writes them), once with every mode already
// private (every start after the first) and once loosened to 0755/0644 (the
// first start after an update). Medians of 5 runs; the baseline is a bare
// readdir walk of the same tree.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { looksPrivate, tightenDataDir } from '../../main/core/privateFiles.ts';
import { machine, median } from './benchStats.ts';

const COUNT = Number(process.env.BENCH_BLOBS ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'outpost-tighten-bench-'));

function walk(path: string): number {
  let n = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) n += entry.isDirectory() ? walk(join(path, entry.name)) : 1;
  return n;
}

function loosen(path: string): void {
  chmodSync(path, 0o755);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) loosen(child);
    else chmodSync(child, 0o644);
  }
}

const time = (work: () => void) => {
  const started = performance.now();
  work();
  return performance.now() - started;
};
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

console.log(`machine: ${machine()}`);
try {
  for (let i = 0; i < COUNT; i++) {
    const name = i.toString(16).padStart(64, '0');
    const folder = join(dir, 'blobs', name.slice(-2));
    if (i < 256) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, name), 'x');
  }
  tightenDataDir(dir);
  const baseline = Array.from({ length: 5 }, () => time(() => walk(dir)));
  const check = Array.from({ length: 5 }, () =>
    time(() => {
      if (!looksPrivate(dir)) throw new Error('not private after the walk');
    }),
  );
  const already = Array.from({ length: 5 }, () => time(() => tightenDataDir(dir)));
  const loosened: number[] = [];
  for (let run = 0; run < 5; run++) {
    loosen(dir);
    loosened.push(time(() => tightenDataDir(dir)));
  }
  console.log(
    [
      `${COUNT.toLocaleString()} blob files in 256 folders`,
      `  baseline: readdir walk            median ${fmt(median(baseline))}`,
      `  looksPrivate (what a start checks) median ${fmt(median(check))}`,
      `  tighten, already private          median ${fmt(median(already))}`,
      `  tighten, all 0755/0644 (chmod)    median ${fmt(median(loosened))}`,
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
