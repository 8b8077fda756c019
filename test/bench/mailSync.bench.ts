// Gmail sync end to end against the emulator, through the real clients and the
// built `outpost sync` process:
//   (a) full sync of BENCH_MESSAGES (default 100,000) synthetic messages with the
//       emulator's quota off: messages/s and the sync process's peak RSS; baseline
//       in the same run: the same emulator serving the same batches with nothing
//       parsed or written (the emulator + TLS + transport ceiling);
//   (b) with Gmail's real per-user quota on (250 units/s): the fraction of that
//       ceiling the paced sync achieves over BENCH_QUOTA_SECONDS (default 40 s);
//   (c) incremental sync of 100 new messages, in-process (median of 5) and as a
//       whole `outpost sync` process.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { fetchMessages } from '../../main/providers/gmail/gmailFetch.ts';
import { gmailQuotaWindow, openGmailSession } from '../../main/providers/gmail/gmailSession.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import {
  autoConsentBrowser,
  emulatorControl,
  googleConfigFor,
  providerEnvFor,
  runMailSync,
} from '../support/emulatorAccounts.ts';
import { CLI } from '../support/serveProcess.ts';
import { runTrustingEmulatorCa } from '../support/trustEmulatorCa.ts';
import { machine, median } from './benchStats.ts';

await runTrustingEmulatorCa();

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const QUOTA_SECONDS = Number(process.env.BENCH_QUOTA_SECONDS ?? 40);
const USER = 'alice@gmail.test';
const UNLIMITED = { unitsPerSecond: 1_000_000 };

/** A data directory with alice's Gmail connected through the real loopback flow. */
async function connectedDataDir(emulator: RunningEmulator): Promise<{ dir: string; accountId: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-sync-bench-'));
  const engine = openEngine({
    log: silentLog,
    dataDir: dir,
    providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
  });
  try {
    const account = await engine.providers.forConnect('google').connect({
      openBrowser: autoConsentBrowser,
    });
    return { dir, accountId: account.id };
  } finally {
    await engine.close();
  }
}

/** Runs `outpost sync` on the directory; samples the child's peak RSS (VmHWM) until it exits. */
async function runSyncProcess(
  dir: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ seconds: number; peakRssMb: number; child: ChildProcess }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'sync', ...args, '--data-dir', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-2000);
  });
  let peakKb = 0;
  const sample = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      peakKb = Math.max(peakKb, Number(hwm ?? 0));
    } catch {
      // exited between samples
    }
  };
  const timer = setInterval(sample, 200);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(timer);
  if (code !== 0) throw new Error(`outpost sync exited ${code}: ${stderr}`);
  return { seconds: (performance.now() - started) / 1000, peakRssMb: peakKb / 1024, child };
}

async function addMessages(emulator: RunningEmulator, count: number, tag: string): Promise<void> {
  const control = emulatorControl(emulator);
  for (let i = 0; i < count; i++) {
    const raw = Buffer.from(
      `From: Bench <bench@example.test>\r\nTo: ${USER}\r\nSubject: ${tag} ${i}\r\nMessage-ID: <${tag}-${i}@example.test>\r\n\r\nNew mail ${i}`,
    ).toString('base64url');
    await control(`/google/users/${USER}/messages`, {
      method: 'POST',
      body: { raw, labelIds: ['INBOX', 'UNREAD'], encoding: 'base64url' },
    });
  }
}

console.log(`machine: ${machine()}`);
const readyStart = performance.now();
const emulator = await startEmulator({
  autoConsent: true,
  seed: { kind: 'synthetic', count: MESSAGES },
  serviceOptions: { google: { quotaEnabled: false } },
});
console.log(
  `emulator seeded with ${MESSAGES.toLocaleString()} messages in ${((performance.now() - readyStart) / 1000).toFixed(1)} s`,
);
const env = providerEnvFor(emulator.baseUrl);
const dirs: string[] = [];
try {
  // (a) baseline: the same batches of format=raw fetched and dropped.
  const baseline = await connectedDataDir(emulator);
  dirs.push(baseline.dir);
  {
    const engine = openEngine({
      log: silentLog,
      dataDir: baseline.dir,
      providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
    });
    try {
      const session = openGmailSession(
        googleConfigFor(emulator.baseUrl),
        engine.vault,
        baseline.accountId,
        gmailQuotaWindow(UNLIMITED),
        silentLog,
      );
      const ids: string[] = [];
      let pageToken: string | undefined;
      do {
        const page = await session.gmail.users.messages.list({
          userId: 'me',
          maxResults: 500,
          pageToken,
          includeSpamTrash: true,
        });
        for (const m of page.data.messages ?? []) if (m.id) ids.push(m.id);
        pageToken = page.data.nextPageToken ?? undefined;
      } while (pageToken && ids.length < 20_000);
      const sample = ids.slice(0, 20_000);
      const t = performance.now();
      await fetchMessages(session, sample, 'raw');
      const perSecond = sample.length / ((performance.now() - t) / 1000);
      console.log(
        `(a) baseline: fetch only (format=raw batches, nothing parsed or written): ${Math.round(perSecond)} messages/s over ${sample.length.toLocaleString()}`,
      );
    } finally {
      await engine.close();
    }
  }

  // (a) full sync, quota off.
  const full = await connectedDataDir(emulator);
  dirs.push(full.dir);
  const run = await runSyncProcess(full.dir, { ...env, OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000' }, ['--full']);
  console.log(
    `(a) full sync, quota off: ${MESSAGES.toLocaleString()} messages in ${run.seconds.toFixed(1)} s = ${Math.round(MESSAGES / run.seconds)} messages/s end to end (process start to exit); peak RSS ${run.peakRssMb.toFixed(0)} MB`,
  );

  // (c) incremental: 100 new messages, in-process and as a process.
  {
    const engine = openEngine({
      log: silentLog,
      dataDir: full.dir,
      providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
      gmailQuota: UNLIMITED,
    });
    const times: number[] = [];
    try {
      for (let round = 0; round < 5; round++) {
        await addMessages(emulator, 100, `inc${round}`);
        const t = performance.now();
        const job = await runMailSync(engine, full.accountId);
        times.push(performance.now() - t);
        if (job?.status !== 'succeeded' || (job.counts.messagesProcessed ?? 0) < 100)
          throw new Error(`incremental sync did not take the 100 messages: ${JSON.stringify(job)}`);
      }
    } finally {
      await engine.close();
    }
    await addMessages(emulator, 100, 'incproc');
    const proc = await runSyncProcess(full.dir, env);
    console.log(
      `(c) incremental sync of 100 new messages: median ${median(times).toFixed(0)} ms in-process (5 runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms); whole \`outpost sync\` process ${(proc.seconds * 1000).toFixed(0)} ms`,
    );
  }

  // (b) Gmail's real quota on: fraction of 250 units/s achieved by the default pacing.
  const control = emulatorControl(emulator);
  await control('/google/quota', { method: 'POST', body: { enabled: true, unitsPerSecond: 250 } });
  await control('/counters', { method: 'DELETE' });
  const quoted = await connectedDataDir(emulator);
  dirs.push(quoted.dir);
  const spent = async () => ((await control('/google/quota')) as { spent: Record<string, number> }).spent[USER] ?? 0;
  const before = await spent();
  const child = spawn(process.execPath, [CLI, 'sync', '--full', '--data-dir', quoted.dir], {
    stdio: 'ignore',
    env: { ...process.env, ...env },
  });
  const startedAt = performance.now();
  // Skip the first 5 s (token exchange, labels, first list page) so the window measures the steady state.
  await new Promise((r) => setTimeout(r, 5_000));
  const windowStart = await spent();
  const windowStartAt = performance.now();
  await new Promise((r) => setTimeout(r, QUOTA_SECONDS * 1000));
  const windowEnd = await spent();
  const windowSeconds = (performance.now() - windowStartAt) / 1000;
  child.kill('SIGKILL');
  await once(child, 'exit');
  const fraction = (windowEnd - windowStart) / (250 * windowSeconds);
  // Units asked for (every request counted by the emulator) minus units accepted = units refused with 429.
  const finalSpent = await spent();
  const counted = ((await control('/counters')) as { requests: Record<string, number> }).requests;
  const asked =
    5 * ((counted['gmail.users.messages.get'] ?? 0) + (counted['gmail.users.messages.list'] ?? 0)) +
    (counted['gmail.users.labels.list'] ?? 0) +
    (counted['gmail.users.getProfile'] ?? 0);
  console.log(
    `(b) quota on (250 units/s per user): ${((windowEnd - windowStart) / windowSeconds).toFixed(1)} units/s accepted over ${windowSeconds.toFixed(1)} s = ${fraction.toFixed(3)} of the ceiling (${Math.round((windowEnd - before) / 5)} messages' worth in ${((performance.now() - startedAt) / 1000).toFixed(0)} s; ${asked - (finalSpent - before)} units refused with 429)`,
  );
} finally {
  await emulator.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
