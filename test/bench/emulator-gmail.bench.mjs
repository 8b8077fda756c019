// Emulator bench (run with `npm run bench -- emulator`, or directly):
//   node test/bench/emulator-gmail.bench.mjs [count=100000] [seconds=5] [concurrency=32]
//   env BENCH_RUNS (default 3), BENCH_IDS (distinct ids, default 5000), BENCH_NODE_ARGS (e.g. "--cpu-prof")
// Each run starts the default emulator (Google AND Microsoft served, as `npm run emulator`
// does) with `--seed synthetic:N` as a child process, times it to ready (its JSON line),
// then measures Gmail messages.get (format=full) requests per second from THIS process (autocannon)
// over loopback HTTPS with keep-alive connections (one TLS handshake per connection, not per request).
// Quota is switched off for the run. Prints one JSON line per run and a summary with the
// medians, the machine and its load average (the two cores are shared with other work).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { cpus, loadavg, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const count = Number(process.argv[2] ?? 100000);
const seconds = Number(process.argv[3] ?? 5);
const concurrency = Number(process.argv[4] ?? 32);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const distinctIds = Number(process.env.BENCH_IDS ?? 5000);
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1];
};

async function startEmulator() {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--experimental-strip-types', '--no-warnings', 'test/emulator/cli.ts', '--seed', `synthetic:${count}`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
  });
  const info = JSON.parse(line);
  const services = Object.keys(info.urls);
  if (!services.includes('google') || !services.some((s) => s.startsWith('microsoft'))) {
    child.kill('SIGTERM');
    throw new Error(`expected Google and Microsoft, got ${services.join(', ')}`);
  }
  return { child, info, readyMs: performance.now() - t0 };
}

function client(info) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: readFileSync(info.caCertPath) });
  const call = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const req = request(
        `${info.baseUrl}${path}`,
        { method, agent, headers: { 'content-type': 'application/json', ...headers } },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
  return { call, close: () => agent.destroy() };
}

async function oneRun(run) {
  const loadBefore = loadavg()[0];
  const { child, info, readyMs } = await startEmulator();
  const stopped = new Promise((resolve) => child.once('exit', resolve));
  const { call, close } = client(info);
  try {
    const tokenReply = await call('POST', '/_control/google/tokens', {
      email: 'alice@gmail.test',
      scopes: ['https://mail.google.com/'],
    });
    const auth = { authorization: `Bearer ${JSON.parse(tokenReply.body).access_token}` };
    await call('POST', '/_control/google/quota', { enabled: false });
    const ids = [];
    let pageToken = '';
    while (ids.length < distinctIds) {
      const page = JSON.parse(
        (
          await call(
            'GET',
            `/gmail/v1/users/me/messages?maxResults=500${pageToken ? `&pageToken=${pageToken}` : ''}`,
            undefined,
            auth,
          )
        ).body,
      );
      ids.push(...page.messages.map((m) => m.id));
      if (!page.nextPageToken) break;
      pageToken = page.nextPageToken;
    }

    // autocannon (the API bench's load generator too) in this process: one keep-alive TLS connection per
    // slot, raw HTTP/1.1, so the client spends far less CPU per request than node:https would on the
    // same two cores. Each request takes the next of the distinct ids.
    let next = 0;
    const load = await autocannon({
      url: info.baseUrl,
      connections: concurrency,
      duration: seconds,
      tlsOptions: { ca: readFileSync(info.caCertPath) },
      headers: auth,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({ ...req, path: `/gmail/v1/users/me/messages/${ids[next++ % ids.length]}?format=full` }),
        },
      ],
    });
    const done = load['2xx'];
    const failed = load.non2xx + load.errors + load.timeouts;
    const elapsed = load.duration;
    const result = {
      run,
      count,
      client: 'autocannon',
      services: Object.keys(info.urls),
      readyMs: Math.round(readyMs),
      emulatorReadyMs: info.readyMs,
      seconds: Number(elapsed.toFixed(2)),
      concurrency,
      requests: done,
      failed,
      requestsPerSecond: Math.round(done / elapsed),
      latencyMs: { p50: load.latency.p50, p99: load.latency.p99 },
      distinctIds: ids.length,
      loadAvgBefore: Number(loadBefore.toFixed(2)),
    };
    console.log(JSON.stringify(result));
    return result;
  } finally {
    close();
    child.kill('SIGTERM');
    await stopped;
  }
}

const results = [];
for (let run = 1; run <= runs; run++) results.push(await oneRun(run));
console.log(
  JSON.stringify({
    summary: 'emulator messages.get (both services, keep-alive)',
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    runs,
    medianRequestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
    requestsPerSecond: results.map((r) => r.requestsPerSecond),
    medianReadyMs: median(results.map((r) => r.readyMs)),
    readyMs: results.map((r) => r.readyMs),
    failed: results.reduce((n, r) => n + r.failed, 0),
    loadAvg: results.map((r) => r.loadAvgBefore),
  }),
);
