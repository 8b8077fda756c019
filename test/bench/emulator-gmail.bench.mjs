// Manual bench (not part of the test suite):
//   node test/bench/emulator-gmail.bench.mjs [count=100000] [seconds=5] [concurrency=32]
// Starts `npm run emulator -- --seed synthetic:N` as a child process, times it to ready
// (the JSON line), then measures Gmail messages.get (format=full) requests per second
// from THIS process over loopback HTTPS with keep-alive. Quota is switched off for the run.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createInterface } from 'node:readline';

const count = Number(process.argv[2] ?? 100000);
const seconds = Number(process.argv[3] ?? 5);
const concurrency = Number(process.argv[4] ?? 32);

const t0 = performance.now();
const child = spawn(
  process.execPath,
  ['--experimental-strip-types', '--no-warnings', 'test/emulator/cli.ts', '--seed', `synthetic:${count}`],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const line = await new Promise((resolve, reject) => {
  createInterface({ input: child.stdout }).once('line', resolve);
  child.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
});
const readyMs = performance.now() - t0;
const info = JSON.parse(line);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: readFileSync(info.caCertPath) });

function call(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
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
}

const token = JSON.parse(
  (await call('POST', '/_control/google/tokens', { email: 'alice@gmail.test', scopes: ['https://mail.google.com/'] })).body,
).access_token;
await call('POST', '/_control/google/quota', { enabled: false });
const auth = { authorization: `Bearer ${token}` };
const ids = [];
let pageToken = '';
while (ids.length < Number(process.env.BENCH_IDS ?? 5000)) {
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

let done = 0;
let failed = 0;
const deadline = performance.now() + seconds * 1000;
const tStart = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async (_, w) => {
    let i = w;
    while (performance.now() < deadline) {
      const res = await call('GET', `/gmail/v1/users/me/messages/${ids[i % ids.length]}?format=full`, undefined, auth);
      if (res.status === 200) done++;
      else failed++;
      i += concurrency;
    }
  }),
);
const elapsed = (performance.now() - tStart) / 1000;
console.log(
  JSON.stringify({
    count,
    readyMs: Math.round(readyMs),
    emulatorReadyMs: info.readyMs,
    seconds: Number(elapsed.toFixed(2)),
    concurrency,
    requests: done,
    failed,
    requestsPerSecond: Math.round(done / elapsed),
    distinctIds: ids.length,
  }),
);
child.kill('SIGTERM');
agent.destroy();
