// How fast `outpost serve` is ready, and how fast the first thread-list page
// answers, over an index holding the whole real corpus (6,046 messages).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { machine, median, percentile } from './benchStats.ts';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'main', 'cli.js');
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });

const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-'));
try {
  const mbox = join(dir, 'corpus.mbox');
  writeCorpusMbox(mbox, 6046);
  const importStart = performance.now();
  execFileSync(process.execPath, [cli, 'import-mbox', mbox, '--data-dir', join(dir, 'data')], { stdio: 'ignore' });
  const importMs = performance.now() - importStart;

  const startups: number[] = [];
  const firstPage: number[] = [];
  const pages: number[] = [];
  for (let run = 0; run < 7; run++) {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', join(dir, 'data')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ui = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk;
        const match = /^UI: (\S+)$/m.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
    });
    startups.push(performance.now() - started);
    const url = new URL(ui);
    const token = new URLSearchParams(url.hash.slice(1)).get('session');
    const get = async () => {
      const t = performance.now();
      const response = await fetch(`${url.origin}/v1/email/threads?limit=50`, { headers: { authorization: `Bearer ${token}` } });
      await response.json();
      return performance.now() - t;
    };
    firstPage.push(await get());
    for (let i = 0; i < 50; i++) pages.push(await get());
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  console.log(`machine: ${machine()}`);
  console.log(
    `import-mbox of 6,046 corpus messages: ${(importMs / 1000).toFixed(2)} s (${Math.round(6046 / (importMs / 1000))} messages/s)`,
  );
  console.log(
    `serve ready (process start to UI line), median of 7: ${median(startups).toFixed(0)} ms (min ${Math.min(...startups).toFixed(0)}, max ${Math.max(...startups).toFixed(0)})`,
  );
  console.log(`first GET /v1/email/threads?limit=50, median of 7: ${median(firstPage).toFixed(1)} ms`);
  console.log(
    `warm GET /v1/email/threads?limit=50 (350 requests): p50 ${median(pages).toFixed(2)} ms, p95 ${percentile(pages, 95).toFixed(2)} ms`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
