// The thread list, search and a full Gmail sync, measured on this tree and on
// a baseline commit in the same run, alternating A/B so both see the same
// machine load. Everything goes through each tree's own built `outpost` (CLI
// and HTTP API), so the two need not share any internal API:
//   - import-mbox of the real corpus (6,046 messages, three copies: 18,138);
//   - `outpost serve`: first thread-list page, then 300 warm pages (p50, p95);
//   - search through the API: each query 40 times (p50), after one warm-up;
//   - `outpost sync` (a whole process) of BENCH_SYNC_MESSAGES synthetic Gmail
//     messages from the emulator, quota off: messages per second.
// BENCH_BASELINE (default: the commit the spine work started from) names the
// baseline; it is checked out as a git worktree, installed and built.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/index.ts';
import { loadCorpus } from '../emulator/kit/corpus.ts';
import { autoConsentBrowser, providerEnvFor } from '../support/emulatorAccounts.ts';
import { runTrustingEmulatorCa } from '../support/trustEmulatorCa.ts';
import { machine, median, percentile } from './benchStats.ts';

const BASELINE = process.env.BENCH_BASELINE ?? 'bf2ad212dd525ec611ce61573d9b4584f677d88e';
const SYNC_MESSAGES = Number(process.env.BENCH_SYNC_MESSAGES ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COPIES = 3;
const QUERIES = [
  'linux',
  'kernel driver',
  '"red hat"',
  'from:linux.ie',
  'subject:ilug',
  'has:attachment',
  'perl OR python',
  'razor -spam',
];

const here = join(import.meta.dirname, '..', '..');

// The baseline is installed before this script reruns itself trusting the emulator's CA (that rerun
// replaces NODE_EXTRA_CA_CERTS, which npm may need to reach its registry); the rerun finds it in the env.
if (!process.env.BENCH_BASELINE_TREE) process.env.BENCH_BASELINE_TREE = prepareBaseline();
await runTrustingEmulatorCa();
const baselineTree = process.env.BENCH_BASELINE_TREE as string;
const work = mkdtempSync(join(tmpdir(), 'outpost-baseline-bench-'));

interface Tree {
  name: string;
  cli: string;
}

/** The baseline commit as a git worktree, installed and built; its folder. */
function prepareBaseline(): string {
  const tree = join(mkdtempSync(join(tmpdir(), 'outpost-baseline-tree-')), 'baseline');
  execFileSync('git', ['worktree', 'add', '--detach', tree, BASELINE], { cwd: here, stdio: 'ignore' });
  // `npm install`, as that commit's README said (its lock file predates npm ci here).
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: tree, stdio: 'ignore' });
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: tree, stdio: 'ignore' });
  return tree;
}

/** Runs the tree's CLI to the end without blocking this process (the emulator answers from it). */
async function run(tree: Tree, args: string[], env: Record<string, string> = {}): Promise<void> {
  const child = spawn(process.execPath, [tree.cli, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`outpost ${args[0]} exited ${code}: ${stderr}`);
}

/** The corpus three times, each copy's messages made distinct (imports key messages by their bytes). */
function writeMbox(path: string): void {
  const corpus = loadCorpus();
  const parts: Buffer[] = [];
  for (let copy = 0; copy < COPIES; copy++)
    for (const message of corpus) {
      const raw = message.raw.toString('latin1');
      const firstLineEnd = raw.indexOf('\n') + 1; // the mbox "From " line
      parts.push(Buffer.from(`${raw.slice(0, firstLineEnd)}X-Bench-Copy: ${copy}\n${raw.slice(firstLineEnd)}`, 'latin1'));
      if (raw.at(-1) !== '\n') parts.push(Buffer.from('\n'));
      parts.push(Buffer.from('\n'));
    }
  writeFileSync(path, Buffer.concat(parts));
}

async function serve(tree: Tree, dataDir: string) {
  const child = spawn(process.execPath, [tree.cli, 'serve', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ui = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = /^UI: (\S+)$/m.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const url = new URL(ui);
  const token = new URLSearchParams(url.hash.slice(1)).get('session') ?? '';
  const get = async (path: string) => {
    const started = performance.now();
    const response = await fetch(`${url.origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    await response.arrayBuffer();
    return performance.now() - started;
  };
  return {
    get,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** An account connected through the tree's own `outpost accounts connect google` (the emulator consents at once). */
async function connect(tree: Tree, dataDir: string, env: Record<string, string>): Promise<void> {
  const child = spawn(process.execPath, [tree.cli, 'accounts', 'connect', 'google', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, PATH: '/nonexistent' }, // no xdg-open: the URL is only printed
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
    const url = /^\s+(https:\S+)$/m.exec(stderr)?.[1];
    if (url && !stderr.includes('#opened')) {
      stderr += '#opened';
      void autoConsentBrowser(url);
    }
  });
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`connect failed: ${stderr}`);
}

const results = new Map<string, Record<string, number[]>>();
const record = (tree: Tree, what: string, value: number) => {
  const byWhat = results.get(tree.name) ?? {};
  byWhat[what] = [...(byWhat[what] ?? []), value];
  results.set(tree.name, byWhat);
};

console.log(`machine: ${machine()}`);
const current: Tree = { name: 'this tree', cli: join(here, 'dist', 'main', 'cli.js') };
execFileSync(process.execPath, [join(here, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
const baseline: Tree = { name: `baseline ${BASELINE.slice(0, 7)}`, cli: join(baselineTree, 'dist', 'main', 'cli.js') };
const trees = [baseline, current];
const mbox = join(work, 'corpus.mbox');
writeMbox(mbox);
const emulator = await startEmulator({
  autoConsent: true,
  seed: { kind: 'synthetic', count: SYNC_MESSAGES },
  serviceOptions: { google: { quotaEnabled: false } },
});
const env = { ...providerEnvFor(emulator.baseUrl), OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000' };
try {
  // The connected account each sync starts from, made once per tree by that tree.
  const connected = new Map<Tree, string>();
  for (const tree of trees) {
    const dir = join(work, `connected-${trees.indexOf(tree)}`);
    await connect(tree, dir, env);
    connected.set(tree, dir);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const tree of round % 2 === 0 ? trees : [...trees].reverse()) {
      const dataDir = join(work, `data-${round}-${trees.indexOf(tree)}`);
      let started = performance.now();
      await run(tree, ['import-mbox', mbox, '--data-dir', dataDir]);
      record(tree, 'import-mbox s', (performance.now() - started) / 1000);

      const api = await serve(tree, dataDir);
      record(tree, 'first thread page ms', await api.get('/v1/email/threads?label=inbox&limit=50'));
      const pages: number[] = [];
      for (let i = 0; i < 300; i++) pages.push(await api.get('/v1/email/threads?label=inbox&limit=50'));
      record(tree, 'thread page p50 ms', median(pages));
      record(tree, 'thread page p95 ms', percentile(pages, 95));
      for (const q of QUERIES) {
        const path = `/v1/email/search?q=${encodeURIComponent(q)}&limit=25`;
        await api.get(path);
        const times: number[] = [];
        for (let i = 0; i < 40; i++) times.push(await api.get(path));
        record(tree, `search ${q} p50 ms`, median(times));
      }
      await api.stop();
      rmSync(dataDir, { recursive: true, force: true });

      const syncDir = join(work, `sync-${round}-${trees.indexOf(tree)}`);
      cpSync(connected.get(tree) as string, syncDir, { recursive: true });
      started = performance.now();
      await run(tree, ['sync', '--data-dir', syncDir], env);
      record(tree, 'full sync messages/s', SYNC_MESSAGES / ((performance.now() - started) / 1000));
      rmSync(syncDir, { recursive: true, force: true });
    }
  }
  const names = trees.map((t) => t.name);
  const measures = Object.keys(results.get(current.name) ?? {});
  console.log(`\n| measure (median of ${ROUNDS}) | ${names.join(' | ')} | change |`);
  console.log(`| --- | ${names.map(() => '---').join(' | ')} | --- |`);
  for (const what of measures) {
    const [a, b] = trees.map((t) => median(results.get(t.name)?.[what] ?? []));
    const change = ((b as number) / (a as number) - 1) * 100;
    console.log(
      `| ${what} | ${(a as number).toFixed(2)} | ${(b as number).toFixed(2)} | ${change >= 0 ? '+' : ''}${change.toFixed(0)} % |`,
    );
  }
} finally {
  await emulator.stop();
  if (existsSync(baselineTree))
    execFileSync('git', ['worktree', 'remove', '--force', baselineTree], { cwd: here, stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
}
