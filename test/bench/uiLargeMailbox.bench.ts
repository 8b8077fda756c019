// The UI over 100,000 threads: time to the first visible thread list, frame
// times while scrolling (the list is virtualized and pages in as it scrolls),
// and renderer memory. Seeds the index directly (no MIME parsing) to keep the
// setup short.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { launchChromium } from '../support/chromium.ts';
import { messageInput, seedAccount } from '../support/indexFixtures.ts';
import { machine, median, percentile } from './benchStats.ts';

const THREADS = Number(process.env.BENCH_THREADS ?? 100_000);
const root = join(import.meta.dirname, '..', '..');
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'outpost-ui-bench-'));

try {
  const seedStart = performance.now();
  const db = openIndex(indexPath(join(dir, 'data')));
  const { account, inbox } = seedAccount(db);
  const start = Date.UTC(2020, 0, 1);
  for (let i = 0; i < THREADS; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, THREADS - i) }, (_, j) => {
      const n = i + j;
      return messageInput({
        remoteId: `m${n}`,
        subject: `Thread number ${n} about quarterly planning`,
        snippet: `Preview text of message ${n}, long enough to fill the row like a real snippet would`,
        bodyText: `Body of message ${n}`,
        sentAt: start + n * 60_000,
        isUnread: n % 3 === 0,
        from: { name: `Sender ${n % 500}`, email: `sender${n % 500}@example.test` },
        labelIds: [inbox],
      });
    });
    writeMessages(db, account.id, batch);
  }
  db.close();
  const seedMs = performance.now() - seedStart;

  const child = spawn(
    process.execPath,
    [join(root, 'dist', 'main', 'cli.js'), 'serve', '--port', '0', '--data-dir', join(dir, 'data')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const uiUrl = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /^UI: (\S+)$/m.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
  });
  const browser = await launchChromium();
  const firstPaint: number[] = [];
  let frameTimes: number[] = [];
  let heapMb = 0;
  let domNodes = 0;
  let renderers: RendererMemory[] = [];
  for (let run = 0; run < 5; run++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const t0 = performance.now();
    await page.goto(uiUrl);
    await page.getByRole('option').first().waitFor();
    firstPaint.push(performance.now() - t0);
    if (run === 4) {
      // Scroll the list 60 px per frame for 600 frames (~36,000 px, ~460 rows), recording frame intervals.
      frameTimes = await page.locator('.thread-list').evaluate(async (el) => {
        const list = el as unknown as { scrollTop: number };
        const raf = (globalThis as unknown as { requestAnimationFrame(cb: (t: number) => void): void }).requestAnimationFrame;
        const times: number[] = [];
        let last = 0;
        await new Promise<void>((resolve) => {
          let frames = 0;
          const step = (t: number) => {
            if (last) times.push(t - last);
            last = t;
            list.scrollTop += 60;
            if (++frames < 600) raf(step);
            else resolve();
          };
          raf(step);
        });
        return times;
      });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      const metrics = (await cdp.send('Performance.getMetrics').catch(async () => {
        await cdp.send('Performance.enable');
        return cdp.send('Performance.getMetrics');
      })) as { metrics: Array<{ name: string; value: number }> };
      await cdp.send('Performance.enable');
      const after = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      const value = (name: string) =>
        (after.metrics.find((m) => m.name === name) ?? metrics.metrics.find((m) => m.name === name))?.value ?? 0;
      heapMb = value('JSHeapTotalSize') / 2 ** 20;
      domNodes = value('Nodes');
      // Then read 20 threads one after another (j), as a person would, and weigh the renderer processes.
      await page.locator('.thread-list').evaluate((el) => {
        (el as unknown as { scrollTop: number }).scrollTop = 0;
      });
      await page.getByRole('option').first().click();
      for (let i = 0; i < 20; i++) {
        await page.locator('body').press('j');
        await page.locator('article.message').first().waitFor();
      }
      await cdp.send('HeapProfiler.collectGarbage');
      renderers = rendererMemory();
    }
    await page.close();
  }
  await browser.close();
  child.kill('SIGTERM');
  console.log(`machine: ${machine()}`);
  console.log(`seeded ${THREADS.toLocaleString()} threads in ${(seedMs / 1000).toFixed(1)} s`);
  console.log(
    `first thread list visible after navigation, median of 5: ${median(firstPaint).toFixed(0)} ms (max ${Math.max(...firstPaint).toFixed(0)})`,
  );
  console.log(
    `scrolling frame intervals over ${frameTimes.length} frames: p50 ${median(frameTimes).toFixed(1)} ms, p95 ${percentile(frameTimes, 95).toFixed(1)} ms, p99 ${percentile(frameTimes, 99).toFixed(1)} ms`,
  );
  console.log(`renderer JS heap after scrolling: ${heapMb.toFixed(1)} MB; DOM nodes: ${domNodes}`);
  const page = renderers.reduce((a, b) => (b.pssMb > a.pssMb ? b : a), { pid: 0, rssMb: 0, pssMb: 0 });
  console.log(
    `renderer processes after scrolling and reading 20 threads: ${renderers.length}; the page's: PSS ${page.pssMb.toFixed(0)} MB, RSS ${page.rssMb.toFixed(0)} MB; all renderers PSS ${renderers.reduce((n, r) => n + r.pssMb, 0).toFixed(0)} MB`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

interface RendererMemory {
  pid: number;
  rssMb: number;
  pssMb: number;
}

/**
 * Chromium's renderer processes started under this process (Linux /proc): the
 * memory a person's machine gives the UI, not only the JS heap. PSS shares the
 * pages common with other Chromium processes fairly; RSS counts them in full.
 */
function rendererMemory(): RendererMemory[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  const result: RendererMemory[] = [];
  for (const pid of parents.keys()) {
    if (!descends(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
      result.push({ pid, rssMb: kb('Rss') / 1024, pssMb: kb('Pss') / 1024 });
    } catch {
      // gone meanwhile
    }
  }
  return result;
}
