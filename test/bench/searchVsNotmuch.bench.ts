// Outpost's search API against notmuch (Xapian) on the same mailbox: the real
// corpus resampled to BENCH_MESSAGES copies (default 100,000), imported into
// Outpost through importRawMessages (what `outpost import-mbox` runs) and
// delivered to a maildir for `notmuch new`, the same folders and flags on both
// sides. Every query runs in both syntaxes, interleaved, warm; the table gives
// p50/p95 and the conversation counts of each side.
//
// BENCH_DIR=path keeps both copies there and reuses them on the next run
// (building 100,000 takes many minutes). BENCH_NOTMUCH=0 measures Outpost
// alone; so does BENCH_MESSAGES of 1,000,000 or more, whose index is then
// seeded directly (resampledMessage + writeMessages, as search.bench.ts does)
// instead of by parsing a million messages. BENCH_RUNS (default 30) runs per
// query and side. BENCH_RESULTS=file also writes the table there (markdown).
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createApiKey } from '../../main/api/auth/apiKeys.ts';
import { buildApiServer } from '../../main/api/server.ts';
import { EventBus } from '../../main/core/eventBus.ts';
import { silentLog } from '../../main/core/log.ts';
import { BlobStore } from '../../main/db/blobStore.ts';
import { openIndex, openReader, type WritableDb } from '../../main/db/openIndex.ts';
import { ensureAccount } from '../../main/db/queries/accounts.ts';
import { upsertLabel } from '../../main/db/queries/labels.ts';
import { changeMessage } from '../../main/db/queries/messageActions.ts';
import { refreshThreads, writeMessages } from '../../main/db/queries/messageWrites.ts';
import { messageByRemoteId } from '../../main/db/queries/threadReads.ts';
import { refreshStatistics } from '../../main/db/statistics.ts';
import { transaction } from '../../main/db/transactions.ts';
import { DEFAULT_LOCAL_ACCOUNT, importRawMessages } from '../../main/mail/importRawMessages.ts';
import { JobQueue } from '../../main/sync/jobQueue.ts';
import { JobRunner } from '../../main/sync/jobRunner.ts';
import { type CorpusMessage, loadCorpus } from '../emulator/kit/corpus.ts';
import { machine, median, percentile } from './benchStats.ts';
import { dateOf, EPOCH, messageIdOf, placementOf, rawCopy } from './notmuchCorpus.ts';
import { parsedCorpus, resampledMessage } from './resampledCorpus.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const WITH_NOTMUCH = process.env.BENCH_NOTMUCH !== '0' && MESSAGES < 1_000_000;
const CHUNK = 2000;
const year = (offset: number) => new Date(EPOCH).getUTCFullYear() + offset;

/** What a person types, in Outpost's (Gmail's) syntax and notmuch's; `prefix`: search as you type (Outpost's prefix=true, notmuch's word*). */
const QUERIES: Array<{ outpost: string; notmuch: string; prefix?: true }> = [
  { outpost: 'linux', notmuch: 'linux' },
  { outpost: 'money', notmuch: 'money' },
  { outpost: 'freetype', notmuch: 'freetype' },
  { outpost: 'bugzilla', notmuch: 'bugzilla' },
  { outpost: '"red hat"', notmuch: '"red hat"' },
  { outpost: '"mailing list"', notmuch: '"mailing list"' },
  { outpost: 'viagra', notmuch: 'viagra' },
  { outpost: 'in:spam viagra', notmuch: 'tag:spam and viagra' },
  { outpost: 'from:linux.ie', notmuch: 'from:linux.ie' },
  { outpost: 'to:ilug@linux.ie', notmuch: 'to:ilug@linux.ie' },
  { outpost: 'subject:ilug', notmuch: 'subject:ilug' },
  { outpost: 'from:linux.ie kernel', notmuch: 'from:linux.ie and kernel' },
  { outpost: 'from:redhat.com python', notmuch: 'from:redhat.com and python' },
  {
    outpost: `after:${year(3)}/01/01 before:${year(3)}/02/01`,
    notmuch: `date:${year(3)}-01-01..${year(3)}-01-31`,
  },
  {
    outpost: `linux after:${year(3)}/01/01 before:${year(4)}/01/01`,
    notmuch: `linux and date:${year(3)}-01-01..${year(3)}-12-31`,
  },
  { outpost: `subject:re after:${year(5)}/01/01`, notmuch: `subject:re and date:${year(5)}-01-01..` },
  { outpost: 'label:receipts', notmuch: 'tag:receipts' },
  { outpost: 'label:receipts linux', notmuch: 'tag:receipts and linux' },
  { outpost: 'label:inbox', notmuch: 'tag:inbox' },
  { outpost: 'is:unread python', notmuch: 'tag:unread and python' },
  { outpost: 'is:unread mail', notmuch: 'tag:unread and mail' },
  { outpost: 'razor -spam', notmuch: 'razor and not spam' },
  { outpost: 'perl OR python', notmuch: 'perl or python' },
  { outpost: 'meetin', notmuch: 'meetin*', prefix: true },
  { outpost: 'freety', notmuch: 'freety*', prefix: true },
  { outpost: 'linux kern', notmuch: 'linux and kern*', prefix: true },
];

const keep = process.env.BENCH_DIR;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'outpost-vs-notmuch-'));
mkdirSync(dir, { recursive: true });
const outpostDir = join(dir, `outpost-${MESSAGES}`);
const maildir = join(dir, `notmuch-${MESSAGES}`, 'mail');

function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Debian's notmuch and its Python bindings, installed when missing (the bench does this, never `npm test`). */
function ensureNotmuch(): void {
  const present = () =>
    spawnSync('notmuch', ['--version']).status === 0 && spawnSync('/usr/bin/python3', ['-c', 'import notmuch2']).status === 0;
  if (present()) return;
  log('installing notmuch and python3-notmuch2 with apt-get');
  const install = () =>
    spawnSync('apt-get', ['install', '-y', 'notmuch', 'python3-notmuch2'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status;
  if (install() !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    install();
  }
  if (!present())
    throw new Error('notmuch or python3-notmuch2 could not be installed (apt-get failed); BENCH_NOTMUCH=0 runs Outpost alone');
}

function* chunkOf(corpus: readonly CorpusMessage[], from: number): Generator<Uint8Array> {
  for (let n = from; n < Math.min(MESSAGES, from + CHUNK); n++) yield rawCopy(corpus, n, MESSAGES);
}

/** Outpost's index through the import path, then each copy's folders and flags through the index's own functions. */
async function buildOutpost(db: WritableDb, corpus: readonly CorpusMessage[]): Promise<void> {
  const account = ensureAccount(db, 'local', DEFAULT_LOCAL_ACCOUNT);
  const blobs = new BlobStore(db, join(outpostDir, 'blobs'));
  const labels = {
    inbox: upsertLabel(db, account.id, { remoteId: 'INBOX', name: 'Inbox', kind: 'system', role: 'inbox' }),
    spam: upsertLabel(db, account.id, { remoteId: 'SPAM', name: 'Spam', kind: 'system', role: 'spam' }),
    trash: upsertLabel(db, account.id, { remoteId: 'TRASH', name: 'Trash', kind: 'system', role: 'trash' }),
    receipts: upsertLabel(db, account.id, { remoteId: 'Label_receipts', name: 'Receipts', kind: 'user', role: null }),
  };
  const start = performance.now();
  let failed = 0;
  for (let from = 0; from < MESSAGES; from += CHUNK) {
    const result = await importRawMessages(db, blobs, account.id, chunkOf(corpus, from), {
      attachmentSizeCap: 25 * 1024 * 1024,
      read: true,
    });
    failed += result.failed.length;
    const skipped = new Set(result.failed.map((f) => f.index));
    const copies = Array.from({ length: Math.min(CHUNK, MESSAGES - from) }, (_, i) => from + i).filter(
      (n) => !skipped.has(n - from),
    );
    transaction(db, () => {
      const threads = new Set<number>();
      copies.forEach((n, i) => {
        const message = messageByRemoteId(db, account.id, result.remoteIds[i] as string);
        if (!message) return;
        const place = placementOf(corpus[n % corpus.length] as CorpusMessage, n);
        const add = [
          ...(place.spam ? [labels.spam] : []),
          ...(place.trash ? [labels.trash] : []),
          ...(place.receipts ? [labels.receipts] : []),
        ];
        changeMessage(db, message.id, { add, remove: place.inbox ? [] : [labels.inbox], unread: place.unread });
        threads.add(message.thread_id);
      });
      refreshThreads(db, account.id, threads, 'labels');
    });
    if ((from / CHUNK) % 10 === 9) log(`outpost: ${from + CHUNK} imported`);
  }
  refreshStatistics(db);
  log(`outpost: ${MESSAGES} imported in ${((performance.now() - start) / 1000).toFixed(0)} s (${failed} not parsed)`);
}

/** Outpost alone at a million: written directly, the folders and flags as in the import. */
async function seedOutpostDirectly(db: WritableDb): Promise<void> {
  const corpus = await parsedCorpus();
  const raw = loadCorpus();
  const account = ensureAccount(db, 'local', DEFAULT_LOCAL_ACCOUNT);
  const labels = {
    inbox: upsertLabel(db, account.id, { remoteId: 'INBOX', name: 'Inbox', kind: 'system', role: 'inbox' }),
    spam: upsertLabel(db, account.id, { remoteId: 'SPAM', name: 'Spam', kind: 'system', role: 'spam' }),
    trash: upsertLabel(db, account.id, { remoteId: 'TRASH', name: 'Trash', kind: 'system', role: 'trash' }),
    receipts: upsertLabel(db, account.id, { remoteId: 'Label_receipts', name: 'Receipts', kind: 'user', role: null }),
  };
  const start = performance.now();
  for (let from = 0; from < MESSAGES; from += CHUNK) {
    const inputs = Array.from({ length: Math.min(CHUNK, MESSAGES - from) }, (_, i) => {
      const n = from + i;
      const place = placementOf(raw[n % raw.length] as CorpusMessage, n);
      const input = resampledMessage(corpus, n, { inbox: labels.inbox, other: labels.receipts });
      return {
        ...input,
        sentAt: dateOf(n, MESSAGES),
        isUnread: place.unread,
        labelIds: [
          ...(place.inbox ? [labels.inbox] : []),
          ...(place.spam ? [labels.spam] : []),
          ...(place.trash ? [labels.trash] : []),
          ...(place.receipts ? [labels.receipts] : []),
        ],
      };
    });
    writeMessages(db, account.id, inputs);
    if ((from / CHUNK) % 50 === 49) log(`outpost: ${from + CHUNK} written`);
  }
  refreshStatistics(db);
  log(`outpost: ${MESSAGES} written directly in ${((performance.now() - start) / 1000).toFixed(0)} s`);
}

/** The maildir, `notmuch new`, then each copy's tags with `notmuch tag --batch`. */
function buildNotmuch(corpus: readonly CorpusMessage[]): void {
  rmSync(join(maildir, '..'), { recursive: true, force: true });
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  const start = performance.now();
  const tags: string[] = [];
  for (let n = 0; n < MESSAGES; n++) {
    writeFileSync(join(maildir, 'cur', `${n}.bench:2,`), rawCopy(corpus, n, MESSAGES));
    const place = placementOf(corpus[n % corpus.length] as CorpusMessage, n);
    const add = [
      place.inbox && 'inbox',
      place.unread && 'unread',
      place.receipts && 'receipts',
      place.spam && 'spam',
      place.trash && 'deleted',
    ].filter(Boolean);
    tags.push(`${add.map((t) => `+${t}`).join(' ')} -new -- id:${messageIdOf(n)}`);
  }
  const config = join(maildir, '..', 'config');
  writeFileSync(
    config,
    `[database]\npath=${maildir}\n[new]\ntags=new\n[maildir]\nsynchronize_flags=false\n[search]\nexclude_tags=\n`,
  );
  const env = { ...process.env, NOTMUCH_CONFIG: config };
  const run = (args: string[], input?: string) => {
    const result = spawnSync('notmuch', args, { env, input, stdio: [input ? 'pipe' : 'ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) throw new Error(`notmuch ${args[0]} failed (exit ${result.status})`);
  };
  log(`notmuch: maildir written (${((performance.now() - start) / 1000).toFixed(0)} s); notmuch new`);
  run(['new', '--quiet']);
  run(['tag', '--batch'], `${tags.join('\n')}\n`);
  log(`notmuch: ${MESSAGES} indexed and tagged in ${((performance.now() - start) / 1000).toFixed(0)} s`);
}

/** One query of the notmuch worker: its count and the time it took inside python. */
function notmuchWorker(): { ask(query: string): Promise<{ count: number; ms: number }>; stop(): void } {
  const child: ChildProcessWithoutNullStreams = spawn('/usr/bin/python3', [
    join(import.meta.dirname, 'notmuchSearch.py'),
    maildir,
  ]);
  child.stderr.pipe(process.stderr);
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  return {
    ask(query) {
      return new Promise((resolve) => {
        waiting.push((line) => resolve(JSON.parse(line)));
        child.stdin.write(`${query}\n`);
      });
    },
    stop: () => child.kill(),
  };
}

const withNotmuchDone = join(maildir, '..', 'done');
const outpostDone = join(outpostDir, 'done');
if (WITH_NOTMUCH) ensureNotmuch();
if (!existsSync(outpostDone)) rmSync(outpostDir, { recursive: true, force: true });
mkdirSync(join(outpostDir, 'blobs'), { recursive: true });
const opening = performance.now();
// A reused index is migrated here as a user's would be (its back-fills included): how long that took is printed.
const db = openIndex(join(outpostDir, 'index.sqlite'));
log(`outpost: index opened (and migrated) in ${Math.round(performance.now() - opening)} ms`);
const corpus = loadCorpus();
if (!existsSync(outpostDone)) {
  await (WITH_NOTMUCH || MESSAGES < 1_000_000 ? buildOutpost(db, corpus) : seedOutpostDirectly(db));
  writeFileSync(outpostDone, `${MESSAGES}\n`);
} else log(`outpost: reusing ${outpostDir}`);
if (WITH_NOTMUCH && !existsSync(withNotmuchDone)) {
  buildNotmuch(corpus);
  writeFileSync(withNotmuchDone, `${MESSAGES}\n`);
} else if (WITH_NOTMUCH) log(`notmuch: reusing ${maildir}`);

let port = 0;
const events = new EventBus(silentLog);
const jobs = new JobQueue(db, events);
const reader = openReader(db);
const app = await buildApiServer({
  reader,
  writer: db,
  log: silentLog,
  logDir: join(outpostDir, 'logs'),
  blobs: new BlobStore(db, join(outpostDir, 'blobs')),
  events,
  jobs,
  runner: new JobRunner(jobs, {}, { log: silentLog }),
  version: 'bench',
  rendererDir: null,
  // The loopback Host check: the port this server listens on.
  allowedPorts: () => [port],
  rateLimits: { requestsPerMinute: 1_000_000 },
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
port = typeof address === 'object' && address ? address.port : 0;
const key = createApiKey(db, 'bench', ['read:email']).key;
// One keep-alive connection, as a client typing into a search box holds.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function outpostSearch(q: string, prefix: boolean): Promise<{ total: number; estimated: boolean; ms: number }> {
  const path = `/v1/email/search?limit=26&q=${encodeURIComponent(q)}${prefix ? '&prefix=true' : ''}`;
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${key}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (res.statusCode !== 200) reject(new Error(`${q}: ${res.statusCode} ${body.code} ${body.message}`));
        else resolve({ total: body.total, estimated: body.total_estimated, ms: performance.now() - start });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const worker = WITH_NOTMUCH ? notmuchWorker() : null;
const loadBefore = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
const rows: string[] = [];
let wins = 0;
try {
  for (const query of QUERIES) {
    const outpost: number[] = [];
    const notmuch: number[] = [];
    let total = { total: 0, estimated: false };
    let count = 0;
    // Three warm-up rounds, then RUNS interleaved: Outpost, notmuch, Outpost, ...
    for (let run = -3; run < RUNS; run++) {
      const o = await outpostSearch(query.outpost, query.prefix === true);
      const n = worker ? await worker.ask(query.notmuch) : null;
      if (run < 0) continue;
      outpost.push(o.ms);
      total = o;
      if (n) {
        notmuch.push(n.ms);
        count = n.count;
      }
    }
    const op95 = percentile(outpost, 95);
    const np95 = percentile(notmuch, 95);
    const verdict = worker ? (op95 <= np95 ? 'yes' : 'no') : op95 < 20 ? 'yes (< 20 ms)' : 'no (>= 20 ms)';
    if (verdict.startsWith('yes')) wins++;
    const cells = [
      `\`${query.outpost}\`${query.prefix ? ' (prefix)' : ''}`,
      median(outpost).toFixed(1),
      op95.toFixed(1),
      `${total.total.toLocaleString('en')}${total.estimated ? ' (est.)' : ''}`,
      ...(worker ? [`\`${query.notmuch}\``, median(notmuch).toFixed(1), np95.toFixed(1), count.toLocaleString('en')] : []),
      verdict,
    ];
    rows.push(`| ${cells.join(' | ')} |`);
    log(rows[rows.length - 1] as string);
  }
} finally {
  worker?.stop();
  agent.destroy();
  await app.close();
  reader.close();
  db.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

const header = worker
  ? '| Outpost query | p50 ms | p95 ms | conversations | notmuch query | p50 ms | p95 ms | threads | Outpost p95 <= notmuch p95 |\n|---|--:|--:|--:|---|--:|--:|--:|---|'
  : '| Outpost query | p50 ms | p95 ms | conversations | p95 < 20 ms |\n|---|--:|--:|--:|---|';
const report = [
  `${MESSAGES.toLocaleString('en')} messages, ${RUNS} warm runs per query and side${worker ? ', interleaved' : ''}; machine: ${machine()}; load average before/after: ${loadBefore} / ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
  '',
  header,
  ...rows,
  '',
  `${wins} of ${QUERIES.length} queries ${worker ? 'at or below notmuch' : 'under 20 ms'} at p95.`,
].join('\n');
console.log(`\n${report}`);
if (process.env.BENCH_RESULTS) writeFileSync(process.env.BENCH_RESULTS, `${report}\n`);
