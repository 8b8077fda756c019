/**
 * npm run demo [-- --port N --data-dir DIR --seed corpus|synthetic:N --real-quota]
 *
 * A newcomer's first command: the provider emulator seeded with real mail,
 * one Google and one Microsoft account connected through the real loopback
 * flows (the emulator consents on the user's behalf), `outpost serve`, the UI
 * URL, an API key with every scope and the emulator's JSON line as soon as it
 * answers, then its first syncs of both accounts with one progress line each
 * (messages of the total, calendars and events). Ctrl-C stops everything it
 * started.
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
import { jobReader, openEventStream } from '../main/cli/eventStream.ts';
import { SyncFollower } from '../main/cli/syncFollower.ts';
import { ProgressBoard } from '../main/cli/syncProgress.ts';
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
    const accounts: Array<{ id: string; email: string }> = [];
    const jobIds: string[] = [];
    try {
      const gmail = await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
      process.stderr.write(`Connected ${gmail.email} (Google) through the loopback OAuth flow\n`);
      const outlook = await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
      process.stderr.write(`Connected ${outlook.email} (Microsoft) through the loopback OAuth flow\n`);
      apiKey = createApiKey(engine.db, 'demo', [...SCOPES]).key;
      // Their first syncs, queued here so the demo knows the jobs it follows (serve's scheduler skips accounts with one queued).
      for (const account of [gmail, outlook]) {
        accounts.push({ id: account.id, email: account.email });
        for (const kind of ['email_sync', 'calendar_sync'] as const)
          jobIds.push(engine.jobs.enqueue({ kind, mode: 'incremental', accountIds: [account.id] }).id);
      }
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
    serve.once('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`demo: outpost serve exited (${code}); stopping\n`);
        void stop(1);
      }
    });

    // The UI answers now: open it while the accounts sync (it shows their progress too).
    process.stdout.write(`UI: ${uiUrl}\n`);
    process.stdout.write(`API key: ${apiKey}\n`);
    process.stdout.write(
      `Emulator: ${JSON.stringify({ baseUrl: emulator.baseUrl, urls: emulator.urls, caCertPath: emulator.caCertPath, users: emulator.users, controlUrl: emulator.controlUrl })}\n`,
    );
    await showSyncProgress(new URL(uiUrl).origin, apiKey, accounts, jobIds);
    process.stderr.write('Running; press Ctrl-C to stop everything.\n');
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
 * One line per account (main/cli/syncProgress.ts: redrawn in place on a
 * terminal, plain lines otherwise): its messages done of the total the
 * provider announced, then its calendars and events, until the first mail and
 * calendar syncs of every account have ended.
 */
async function showSyncProgress(
  origin: string,
  apiKey: string,
  accounts: ReadonlyArray<{ id: string; email: string }>,
  jobIds: readonly string[],
): Promise<void> {
  const board = new ProgressBoard(process.stdout);
  for (const account of accounts) board.add(account.id, account.email);
  const follower = new SyncFollower(board, jobReader(origin, apiKey), ['email_sync', 'calendar_sync']);
  const stream = await openEventStream(origin, apiKey, (event) => follower.handle(event));
  try {
    // Where each job stands now: some may have progressed, or ended, before the stream opened.
    for (const jobId of jobIds) {
      const job = await follower.lookup(jobId);
      if (job) follower.settle(job);
    }
    await Promise.race([
      Promise.all(
        accounts.flatMap((a) => [follower.endedFor(a.id, 'email_sync', 0), follower.endedFor(a.id, 'calendar_sync', 0)]),
      ),
      stream.ended,
    ]);
    board.close();
  } finally {
    stream.close();
  }
}

parseArgs(process.argv.slice(2)); // bad arguments fail here, before anything starts
await run(await runTrustingEmulatorCa());
