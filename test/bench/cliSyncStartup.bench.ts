// `outpost sync` with nothing new, as a whole process (what a cron job or a
// script waits for; issue 23 measured 1.24-1.45 s where the sync itself takes
// 57 ms in-process), against bare `node -e 0` in the same rounds: wall time
// and CPU time (user + system), medians. The Gmail account is connected through
// the emulator's loopback flow and fully synced once before the rounds.
// BENCH_SYNC_MESSAGES (default 1000) and BENCH_CLI_ROUNDS (default 11) change the size;
// BENCH_CLI_BEFORE=path/to/other/dist/main/cli.js adds that build's `outpost sync` to the same rounds.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { startEmulator } from '../emulator/index.ts';
import { autoConsentBrowser, googleConfigFor, providerEnvFor } from '../support/emulatorAccounts.ts';
import { CLI } from '../support/serveProcess.ts';
import { runTrustingEmulatorCa } from '../support/trustEmulatorCa.ts';
import { machine, median } from './benchStats.ts';

await runTrustingEmulatorCa();

const MESSAGES = Number(process.env.BENCH_SYNC_MESSAGES ?? 1000);
const ROUNDS = Number(process.env.BENCH_CLI_ROUNDS ?? 11);
const run = promisify(execFile);
execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'build.mjs'), '--if-stale'], {
  stdio: 'inherit',
});

const emulator = await startEmulator({
  autoConsent: true,
  seed: { kind: 'synthetic', count: MESSAGES },
  serviceOptions: { google: { quotaEnabled: false } },
});
const dir = mkdtempSync(join(tmpdir(), 'outpost-sync-startup-'));
try {
  const engine = openEngine({
    log: silentLog,
    dataDir: dir,
    providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
  });
  try {
    await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
  } finally {
    await engine.close();
  }
  // The emulator answers in this process: the commands run asynchronously (execFile), never blocking it.
  const env = { ...process.env, ...providerEnvFor(emulator.baseUrl) };
  await run(process.execPath, [CLI, 'sync', '--data-dir', dir], { env });
  const time = async (args: string[]) => {
    const { stdout } = await run(
      'bash',
      ['-c', 'TIMEFORMAT="%3R %3U %3S"; { time "$@" >/dev/null 2>&1; } 2>&1', 'bash', process.execPath, ...args],
      { env, encoding: 'utf8' },
    );
    const [wall = 0, user = 0, system = 0] = stdout.trim().split(/\s+/).slice(-3).map(Number);
    return { wall: wall * 1000, cpu: (user + system) * 1000 };
  };
  const commands: { name: string; args: string[] }[] = [
    { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
    { name: 'outpost sync, nothing new', args: [CLI, 'sync', '--data-dir', dir] },
  ];
  const before = process.env.BENCH_CLI_BEFORE;
  if (before) commands.push({ name: 'before: outpost sync, nothing new', args: [before, 'sync', '--data-dir', dir] });
  // One untimed round: compile caches written, the index's pages in the OS cache.
  for (const command of commands) await time(command.args);
  const walls = commands.map(() => [] as number[]);
  const cpus = commands.map(() => [] as number[]);
  const loadBefore = loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, command] of commands.entries()) {
      const { wall, cpu } = await time(command.args);
      walls[i]?.push(wall);
      cpus[i]?.push(cpu);
    }
  console.log(`machine: ${machine()}`);
  console.log(
    `${MESSAGES.toLocaleString('en-US')} Gmail messages synced (index ${(statSync(join(dir, 'index.sqlite')).size / 2 ** 20).toFixed(0)} MiB); ${ROUNDS} interleaved rounds; load average before ${loadBefore}, after ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  console.log('| command | wall median | − node -e 0 | CPU median | − node -e 0 |');
  console.log('| --- | --- | --- | --- | --- |');
  const baseWall = median(walls[0] ?? []);
  const baseCpu = median(cpus[0] ?? []);
  commands.forEach((command, i) => {
    const wall = median(walls[i] ?? []);
    const cpu = median(cpus[i] ?? []);
    const plus = (value: number, base: number) => (i === 0 ? '—' : `${(value - base).toFixed(0)} ms`);
    console.log(
      `| ${command.name} | ${wall.toFixed(0)} ms | ${plus(wall, baseWall)} | ${cpu.toFixed(0)} ms | ${plus(cpu, baseCpu)} |`,
    );
  });
} finally {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
}
