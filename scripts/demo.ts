/**
 * npm run demo [-- --port N --data-dir DIR --seed corpus|synthetic:N --real-quota]
 *
 * A newcomer's first command: the provider emulator seeded with real mail,
 * one Google and one Microsoft account connected through the real loopback
 * flows (the emulator consents on the user's behalf), `outpost serve` syncing
 * them with progress shown, then the UI URL, an API key with every scope and
 * the emulator's JSON line. Ctrl-C stops everything it started.
 *
 * It reruns itself trusting the emulator's CA (test/support/trustEmulatorCa.ts),
 * so every client trusts the emulator as it trusts Google and Microsoft.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, SCOPES } from '../main/api/auth/apiKeys.ts';
import { openLoggedEngine } from '../main/core/engine.ts';
import { type RunningEmulator, startEmulator } from '../test/emulator/index.ts';
import type { SeedSpec } from '../test/emulator/kit/types.ts';
import { openBrowser as formPostBrowser } from '../test/emulator/microsoft/testAuth.ts';
import { autoConsentBrowser, googleConfigFor, microsoftConfigFor, providerEnvFor } from '../test/support/emulatorAccounts.ts';
import { runTrustingEmulatorCa } from '../test/support/trustEmulatorCa.ts';

const CLI = join(import.meta.dirname, '..', 'dist', 'main', 'cli.js');

interface DemoArgs {
  port: number;
  dataDir: string | null;
  seed: SeedSpec;
  realQuota: boolean;
}

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): DemoArgs {
  const args: DemoArgs = { port: 7766, dataDir: null, seed: { kind: 'corpus' }, realQuota: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => argv[++i] ?? fail(`${arg} needs a value`);
    if (arg === '--port') {
      args.port = Number(value());
      if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) fail(`invalid --port ${argv[i]}`);
    } else if (arg === '--data-dir') args.dataDir = value();
    else if (arg === '--seed') {
      const v = value();
      const count = /^synthetic:(\d+)$/.exec(v)?.[1];
      if (v === 'corpus') args.seed = { kind: 'corpus' };
      else if (count && Number(count) > 0) args.seed = { kind: 'synthetic', count: Number(count) };
      else fail(`invalid --seed ${v} (corpus | synthetic:N)`);
    } else if (arg === '--real-quota') args.realQuota = true;
    else
      fail(
        `unknown argument ${arg} (usage: npm run demo -- [--port N] [--data-dir DIR] [--seed corpus|synthetic:N] [--real-quota])`,
      );
  }
  return args;
}

/** Emulator, accounts, API key, `outpost serve`, progress, then wait for Ctrl-C. */
async function run(tlsDir: string): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const ownDataDir = args.dataDir === null;
  const dataDir = args.dataDir ?? mkdtempSync(join(tmpdir(), 'outpost-demo-'));
  let emulator: RunningEmulator | null = null;
  let serve: ChildProcess | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (serve && serve.exitCode === null) {
      serve.kill('SIGTERM');
      await once(serve, 'exit');
    }
    await emulator?.stop();
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0));

  try {
    process.stderr.write('Starting the provider emulator...\n');
    emulator = await startEmulator({
      port: 0,
      seed: args.seed,
      tlsDir,
      autoConsent: true,
      serviceOptions: { google: { quotaEnabled: args.realQuota }, microsoft: { exchangeLimits: args.realQuota } },
    });
    const google = googleConfigFor(emulator.baseUrl);
    const microsoft = microsoftConfigFor(emulator.baseUrl);

    const engine = await openLoggedEngine({ dataDir, providers: { google, microsoft } });
    let apiKey: string;
    try {
      const gmail = await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
      process.stderr.write(`Connected ${gmail.email} (Google) through the loopback OAuth flow\n`);
      const outlook = await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
      process.stderr.write(`Connected ${outlook.email} (Microsoft) through the loopback OAuth flow\n`);
      apiKey = createApiKey(engine.db, 'demo', [...SCOPES]).key;
    } finally {
      await engine.close();
    }

    serve = spawn(process.execPath, [CLI, 'serve', '--port', String(args.port), '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        ...providerEnvFor(emulator.baseUrl),
        // Without --real-quota the emulator's Gmail quota is off, so pacing need not hold back.
        ...(args.realQuota ? {} : { OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '100000' }),
      },
    });
    const uiUrl = await waitForUiLine(serve);
    await showSyncProgress(new URL(uiUrl).origin, apiKey);

    process.stdout.write(`UI: ${uiUrl}\n`);
    process.stdout.write(`API key: ${apiKey}\n`);
    process.stdout.write(
      `Emulator: ${JSON.stringify({ baseUrl: emulator.baseUrl, urls: emulator.urls, caCertPath: emulator.caCertPath, users: emulator.users, controlUrl: emulator.controlUrl })}\n`,
    );
    process.stderr.write('Running; press Ctrl-C to stop everything.\n');
    serve.once('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`demo: outpost serve exited (${code}); stopping\n`);
        void stop(1);
      }
    });
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n`);
    await stop(1);
  }
}

function waitForUiLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /^UI: (\S+)$/m.exec(output)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`outpost serve exited with ${code} before it was ready`)));
  });
}

/**
 * Follows the core's event stream until every account's first mail sync has
 * finished, drawing one progress line per account.
 */
async function showSyncProgress(origin: string, apiKey: string): Promise<void> {
  const headers = { authorization: `Bearer ${apiKey}` };
  const stream = await fetch(`${origin}/v1/events`, { headers });
  if (!stream.ok || !stream.body) throw new Error(`event stream answered ${stream.status}`);
  const accounts = (
    (await (await fetch(`${origin}/v1/accounts`, { headers })).json()) as {
      data: Array<{ id: string; email: string; last_synced_at: string | null }>;
    }
  ).data;
  const waiting = new Map(accounts.filter((a) => a.last_synced_at === null).map((a) => [a.id, a.email]));
  const reader = stream.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const lastShown = new Map<string, number>();
  const calendarJobs = new Set<string>(); // their progress counts calendars, not messages

  while (waiting.size > 0) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      if (!data) continue;
      const event = JSON.parse(data) as {
        type: string;
        account_id?: string | null;
        job_id?: string;
        done?: number;
        total?: number | null;
        job?: { id: string; kind: string; account_id: string | null; status: string };
      };
      const shownAt = lastShown.get(event.account_id ?? '') ?? 0;
      if (event.type === 'job.updated' && event.job?.kind === 'calendar_sync') calendarJobs.add(event.job.id);
      const isMailProgress = event.type === 'job.progress' && !calendarJobs.has(event.job_id ?? '');
      if (isMailProgress && event.account_id && waiting.has(event.account_id) && Date.now() - shownAt > 1_000) {
        lastShown.set(event.account_id, Date.now());
        const total = event.total ? `/${event.total}` : '';
        process.stderr.write(`  syncing ${waiting.get(event.account_id)}: ${event.done}${total} messages\n`);
      }
      const job = event.job;
      if (event.type === 'job.updated' && job?.kind === 'email_sync' && job.account_id && waiting.has(job.account_id)) {
        if (job.status === 'succeeded' || job.status === 'failed') {
          process.stderr.write(`  ${waiting.get(job.account_id)}: mail sync ${job.status}\n`);
          waiting.delete(job.account_id);
        }
      }
    }
  }
  await reader.cancel();
}

parseArgs(process.argv.slice(2)); // bad arguments fail here, before anything starts
await run(await runTrustingEmulatorCa());
