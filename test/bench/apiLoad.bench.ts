// The local API under concurrent load from a second process (autocannon's CLI)
// against the built `outpost serve` with a Gmail account synced from the
// emulator: GET /v1/email/threads and POST /v1/email/sync, requests/s and p99,
// with GET /v1/health (no index work) as the baseline in the same run. Median
// of BENCH_RUNS (default 3) runs of BENCH_SECONDS (default 8) each.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../../main/api/auth/apiKeys.ts';
import { openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { startEmulator } from '../emulator/index.ts';
import { autoConsentBrowser, googleConfigFor, providerEnvFor, runMailSync } from '../support/emulatorAccounts.ts';
import { CLI } from '../support/serveProcess.ts';
import { runTrustingEmulatorCa } from '../support/trustEmulatorCa.ts';
import { machine, median } from './benchStats.ts';

await runTrustingEmulatorCa();

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const AUTOCANNON = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'autocannon');

interface CannonResult {
  requests: { average: number };
  latency: { p99: number; p50: number };
  non2xx: number;
  '2xx': number;
  statusCodeStats?: Record<string, { count: number }>;
}

function cannon(url: string, options: { connections: number; method?: string; body?: string; key?: string }): CannonResult {
  const args = ['-j', '-c', String(options.connections), '-d', String(SECONDS)];
  if (options.key) args.push('-H', `authorization=Bearer ${options.key}`);
  if (options.method) args.push('-m', options.method);
  if (options.body !== undefined) args.push('-H', 'content-type=application/json', '-b', options.body);
  const run = spawnSync(AUTOCANNON, [...args, url], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`autocannon failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as CannonResult;
}

function measure(label: string, url: string, options: Parameters<typeof cannon>[1]): void {
  const results = Array.from({ length: RUNS }, () => cannon(url, options));
  const statuses = new Map<string, number>();
  for (const r of results)
    for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {}))
      statuses.set(code, (statuses.get(code) ?? 0) + count);
  console.log(
    `${label.padEnd(44)} ${Math.round(median(results.map((r) => r.requests.average)))
      .toString()
      .padStart(6)} req/s   p50 ${median(results.map((r) => r.latency.p50)).toFixed(1)} ms   p99 ${median(
      results.map((r) => r.latency.p99),
    ).toFixed(1)} ms   statuses ${[...statuses].map(([c, n]) => `${c}×${n}`).join(' ')}`,
  );
}

const dataDir = mkdtempSync(join(tmpdir(), 'outpost-api-bench-'));
const emulator = await startEmulator({
  autoConsent: true,
  seed: { kind: 'synthetic', count: 5_000 },
  serviceOptions: { google: { quotaEnabled: false } },
});
let key: string;
{
  const engine = openEngine({
    log: silentLog,
    dataDir,
    providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
    gmailQuota: { unitsPerSecond: 1e6 },
  });
  try {
    const account = await engine.providers.forConnect('google').connect({
      openBrowser: autoConsentBrowser,
    });
    await runMailSync(engine, account.id, 'full');
    key = createApiKey(engine.db, 'bench', ['read:email', 'write:email']).key;
  } finally {
    await engine.close();
  }
}
const serve = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir], {
  stdio: ['ignore', 'pipe', 'inherit'],
  // The general per-key budget (6,000 requests a minute) would answer most of the load with 429s; lifted here.
  // The on-demand sync cap (6 an hour) is kept: the sync figure is how fast refusals come back.
  env: {
    ...process.env,
    ...providerEnvFor(emulator.baseUrl),
    OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000',
    OUTPOST_API_REQUESTS_PER_MINUTE: '100000000',
  },
});
try {
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const api = /^API: (\S+)\/v1$/m.exec(out)?.[1];
      if (api) resolve(api);
    });
    serve.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  console.log(`machine: ${machine()}; 5,000 synced messages; ${RUNS} runs × ${SECONDS} s, autocannon in its own process`);
  measure('GET /v1/health (baseline, 32 connections)', `${base}/v1/health`, { connections: 32 });
  measure('GET /v1/email/threads?limit=50 (32 conn.)', `${base}/v1/email/threads?limit=50`, { connections: 32, key });
  measure('POST /v1/email/sync (8 conn., 6/h cap)', `${base}/v1/email/sync`, { connections: 8, key, method: 'POST', body: '{}' });
} finally {
  serve.kill('SIGTERM');
  await new Promise((resolve) => serve.once('exit', resolve));
  await emulator.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
