// How long short `outpost` commands take as whole processes (what a script
// calling the CLI waits for), against bare Node's start-up measured in the
// same rounds: each round runs every command once, in turn, so a change in
// the machine's load reaches all of them alike. Reported: the median of each,
// and its difference from the median of `node -e 0`, in wall time and in CPU
// time (user + system, which a loaded machine inflates far less).
// BENCH_CLI_ROUNDS (default 21) and BENCH_CLI_MESSAGES (default 20000) change the size;
// BENCH_CLI_BEFORE=path/to/other/dist/main/cli.js adds that build's commands to the same rounds.
// Each process is timed by bash's `time` (its own fork, exec and wait, to the millisecond).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { seedAccount } from '../support/indexFixtures.ts';
import { machine, median, percentile } from './benchStats.ts';
import { parsedCorpus, resampledMessage } from './resampledCorpus.ts';

const ROUNDS = Number(process.env.BENCH_CLI_ROUNDS ?? 21);
const LARGE = Number(process.env.BENCH_CLI_MESSAGES ?? 20_000);
const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'main', 'cli.js');
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });

const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-'));
try {
  // 1,000 real messages imported as a user would; LARGE resampled from the same corpus.
  const small = join(dir, 'small');
  const mbox = join(dir, 'corpus.mbox');
  writeCorpusMbox(mbox, 1000);
  execFileSync(process.execPath, [cli, 'import-mbox', mbox, '--data-dir', small], { stdio: 'ignore' });
  const large = join(dir, 'large');
  mkdirSync(large, { mode: 0o700 });
  const seeded = performance.now();
  const db = openIndex(join(large, 'index.sqlite'));
  const corpus = await parsedCorpus();
  const { account, inbox, sent } = seedAccount(db);
  for (let i = 0; i < LARGE; i += 2000) {
    const count = Math.min(2000, LARGE - i);
    writeMessages(
      db,
      account.id,
      Array.from({ length: count }, (_, j) => resampledMessage(corpus, i + j, { inbox, other: sent })),
    );
  }
  db.pragma('optimize');
  db.close();
  const mib = (path: string) => (statSync(join(path, 'index.sqlite')).size / 2 ** 20).toFixed(0);
  console.log(`machine: ${machine()}`);
  console.log(
    `indexes: ${LARGE.toLocaleString('en-US')} messages (${mib(large)} MiB, seeded in ${((performance.now() - seeded) / 1000).toFixed(0)} s), 1,000 messages (${mib(small)} MiB)`,
  );

  const noCache = { NODE_DISABLE_COMPILE_CACHE: '1' };
  const commands: { name: string; args: string[]; env?: Record<string, string> }[] = [
    { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
    { name: 'outpost --version', args: [cli, '--version'] },
    {
      name: `outpost search from:spamassassin (${LARGE.toLocaleString('en-US')})`,
      args: [cli, 'search', 'from:spamassassin', '--data-dir', large],
    },
    { name: `outpost search linux (${LARGE.toLocaleString('en-US')})`, args: [cli, 'search', 'linux', '--data-dir', large] },
    {
      name: `outpost search from:spamassassin (${LARGE.toLocaleString('en-US')}, no compile cache)`,
      args: [cli, 'search', 'from:spamassassin', '--data-dir', large],
      env: noCache,
    },
    { name: 'outpost search from:spamassassin (1,000)', args: [cli, 'search', 'from:spamassassin', '--data-dir', small] },
    { name: 'outpost accounts list (1,000)', args: [cli, 'accounts', 'list', '--data-dir', small] },
    { name: 'outpost keys list (1,000)', args: [cli, 'keys', 'list', '--data-dir', small] },
    { name: 'outpost agenda (1,000)', args: [cli, 'agenda', '--data-dir', small] },
  ];
  const before = process.env.BENCH_CLI_BEFORE;
  if (before) {
    const searches = commands.filter((c) => c.args[1] === 'search' && !c.env);
    for (const c of [commands[1], ...searches])
      if (c) commands.push({ name: `before: ${c.name}`, args: [before, ...c.args.slice(1)] });
  }
  const run = (command: (typeof commands)[number]): { wall: number; cpu: number } => {
    const timed = execFileSync(
      'bash',
      ['-c', 'TIMEFORMAT="%3R %3U %3S"; { time "$@" >/dev/null 2>&1; } 2>&1', 'bash', process.execPath, ...command.args],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...command.env } },
    );
    const [wall = 0, user = 0, system = 0] = timed.trim().split(/\s+/).slice(-3).map(Number);
    return { wall: wall * 1000, cpu: (user + system) * 1000 };
  };
  // One untimed round: the compile caches are written, and the indexes' pages are in the OS cache.
  for (const command of commands) run(command);
  const walls = commands.map(() => [] as number[]);
  const cpus = commands.map(() => [] as number[]);
  const loadBefore = loadAverage();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, command] of commands.entries()) {
      const { wall, cpu } = run(command);
      walls[i]?.push(wall);
      cpus[i]?.push(cpu);
    }
  }

  const baseWall = median(walls[0] ?? []);
  const baseCpu = median(cpus[0] ?? []);
  const plus = (value: number, base: number, i: number) => (i === 0 ? '—' : `${(value - base).toFixed(0)} ms`);
  console.log(`${ROUNDS} interleaved rounds; load average (1, 5, 15 min) before ${loadBefore}, after ${loadAverage()}`);
  console.log('| command | wall median | p90 | − node -e 0 | CPU median | − node -e 0 |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  commands.forEach((command, i) => {
    const wall = median(walls[i] ?? []);
    const cpu = median(cpus[i] ?? []);
    const cells = [`\`${command.name}\``, `${wall.toFixed(0)} ms`, `${percentile(walls[i] ?? [], 90).toFixed(0)} ms`];
    cells.push(plus(wall, baseWall, i), `${cpu.toFixed(0)} ms`, plus(cpu, baseCpu, i));
    console.log(`| ${cells.join(' | ')} |`);
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function loadAverage(): string {
  return loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
}
