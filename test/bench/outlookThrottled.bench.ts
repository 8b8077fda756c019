// Outlook full sync of BENCH_MESSAGES (default 20,000) synthetic messages under Exchange's
// limits as the emulator models them (Microsoft's documented numbers: 10,000 requests per
// 10 minutes and 4 in flight per app and mailbox, 429 with Retry-After), in-process through
// the real msal-node sign-in and Graph client; each request held BENCH_LATENCY_MS (default
// 20) in the emulator as Exchange's service time, so concurrent requests can collide.
// Baseline in the same run: the same sync with the limits off. BENCH_RUNS (default 3) of
// each, alternating, each into a new data directory; medians of wall time, the requests
// the emulator counted, the 429s it answered (window / concurrency), and whether the index
// equals the mailbox afterwards. Then one run under a tight budget (100 requests per 10-second
// window) that the sync has to wait out several times, Retry-After by Retry-After.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { memoryLog } from '../../main/core/log.ts';
import { startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import {
  emulatorControl,
  indexAsGraphSnapshot,
  microsoftConfigFor,
  remoteGraphSnapshot,
  runMailSync,
} from '../support/emulatorAccounts.ts';
import { runTrustingEmulatorCa } from '../support/trustEmulatorCa.ts';
import { machine, median } from './benchStats.ts';

await runTrustingEmulatorCa();

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const USER = 'bob@contoso.test';
const DOCUMENTED = { requestsPer10Min: 10_000, windowSec: 600, maxConcurrentPerMailbox: 4, retryAfterSec: 1 };
const OFF = { requestsPer10Min: 0, maxConcurrentPerMailbox: 0 };
/** A budget the sync must wait out several times: 100 requests per 10 s (10 a second, 60% of Exchange's rate), one run. */
const TIGHT = { ...DOCUMENTED, requestsPer10Min: 100, windowSec: 10 };

interface Run {
  seconds: number;
  requests: number;
  windowThrottled: number;
  concurrencyThrottled: number;
  peakInFlight: number;
  retriesLogged: number;
  messages: number;
  converged: boolean;
}

console.log(`machine: ${machine()}`);
const readyStart = performance.now();
const emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: MESSAGES } });
const control = emulatorControl(emulator);
console.log(
  `emulator seeded with ${MESSAGES.toLocaleString()} messages in ${((performance.now() - readyStart) / 1000).toFixed(1)} s; ` +
    `${LATENCY_MS} ms held per Graph request`,
);
const remote = await remoteGraphSnapshot(emulator, USER);

async function oneRun(limits: Record<string, number>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-outlook-bench-'));
  const memory = memoryLog('warn');
  let engine: Engine | undefined;
  try {
    engine = openEngine({
      log: memory.log,
      dataDir: dir,
      providers: { google: null, microsoft: microsoftConfigFor(emulator.baseUrl) },
    });
    const account = await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
    // A fresh 10-minute window for each run (as if runs were 10 minutes apart), counters from zero.
    await control('/microsoft/throttle', { method: 'POST', body: { ...limits, latencyMs: LATENCY_MS, reset: true } });
    const started = performance.now();
    const job = await runMailSync(engine, account.id, 'full');
    const seconds = (performance.now() - started) / 1000;
    if (job?.error) throw new Error(`sync failed: ${JSON.stringify(job.error)}`);
    const state = (await control('/microsoft/throttle')) as {
      counts: { requests: number; windowThrottled: number; concurrencyThrottled: number; peakInFlight: number };
    };
    const local = indexAsGraphSnapshot(engine.db, account.id);
    return {
      seconds,
      ...state.counts,
      retriesLogged: memory.lines().filter((l) => l.msg === 'retrying').length,
      messages: local.length,
      converged: JSON.stringify(local) === JSON.stringify(remote),
    };
  } finally {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function describe(label: string, runs: Run[]): void {
  const m = (pick: (r: Run) => number) => median(runs.map(pick));
  console.log(
    `${label}: wall ${m((r) => r.seconds).toFixed(1)} s (runs ${runs.map((r) => r.seconds.toFixed(1)).join(', ')}), ` +
      `${Math.round(MESSAGES / m((r) => r.seconds))} messages/s, requests ${m((r) => r.requests)}, ` +
      `429s ${m((r) => r.windowThrottled + r.concurrencyThrottled)} (window ${m((r) => r.windowThrottled)}, ` +
      `concurrency ${m((r) => r.concurrencyThrottled)}), retries logged ${m((r) => r.retriesLogged)}, ` +
      `peak in flight ${m((r) => r.peakInFlight)}, messages ${m((r) => r.messages)}, ` +
      `converged ${runs.every((r) => r.converged) ? 'every run' : runs.map((r) => r.converged).join('/')}`,
  );
}

try {
  const baseline: Run[] = [];
  const limited: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    baseline.push(await oneRun(OFF));
    limited.push(await oneRun(DOCUMENTED));
    console.log(
      `run ${i + 1}/${RUNS}: baseline ${baseline.at(-1)?.seconds.toFixed(1)} s, limited ${limited.at(-1)?.seconds.toFixed(1)} s`,
    );
  }
  const tight = [await oneRun(TIGHT)];
  describe('baseline (limits off)', baseline);
  describe('Exchange limits (10,000 / 10 min, 4 in flight)', limited);
  describe('tight budget (100 / 10 s, 4 in flight)', tight);
  if (![...limited, ...tight].every((r) => r.converged && r.concurrencyThrottled === 0)) process.exitCode = 1;
} finally {
  await emulator.stop();
}
