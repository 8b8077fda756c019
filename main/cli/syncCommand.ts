import { isErrorCode } from '../../shared/errors.ts';
import type { JobSnapshot } from '../../shared/events.ts';
import { DataDirBusyError } from '../core/dataDirLock.ts';
import { type Engine, openLoggedEngine } from '../core/engine.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { ReadableDb } from '../db/handles.ts';
import { type AccountRow, listAccounts } from '../db/queries/accounts.ts';
import { describeProvider } from '../providers/descriptions.ts';
import { SyncFollower } from './syncFollower.ts';
import { ProgressBoard } from './syncProgress.ts';

interface SyncOptions {
  dataDir: string;
  full: boolean;
  accountId?: string;
}

/**
 * `outpost sync [--full] [--account ID]`: runs the sync in this process and
 * shows a progress line per account (messages done of the total the provider
 * announced, rate, time left). While `outpost serve` or the desktop app holds
 * the data directory, the running server syncs instead (syncThroughServer.ts),
 * with the same lines and summary.
 */
export async function syncCommand(options: SyncOptions): Promise<void> {
  let engine: Engine;
  try {
    engine = await openLoggedEngine({ dataDir: options.dataDir, holder: 'outpost sync' });
  } catch (error) {
    if (!(error instanceof DataDirBusyError) || error.port === null) throw error;
    return syncThroughRunningServer(options, error.port);
  }
  try {
    const accounts = accountsToSync(engine.db, options);
    const board = new ProgressBoard(process.stderr);
    for (const account of accounts) board.add(account.id, account.email);
    const follower = new SyncFollower(board, (jobId) => engine.jobs.get(jobId));
    const unsubscribe = engine.events.subscribe((event) => follower.handle(event));
    const accountIds = accounts.map((a) => a.id);
    // A full sync interrupted by a crash or kill is back in the queue: finish it rather than refuse.
    const interrupted = engine.jobs.openFullSyncs('email_sync', accountIds);
    if (interrupted.length > 0) process.stderr.write(`resuming ${interrupted.length} interrupted full sync(s)\n`);
    const resumed = new Set(interrupted.map((j) => j.account_id));
    const rest = accountIds.filter((id) => !resumed.has(id));
    const jobIds = interrupted.map((j) => j.id);
    if (rest.length > 0)
      jobIds.push(engine.jobs.enqueue({ kind: 'email_sync', mode: options.full ? 'full' : 'incremental', accountIds: rest }).id);
    engine.runner.wake();
    await engine.runner.idle();
    unsubscribe();
    board.close();
    const results = jobIds.map((id) => engine.jobs.get(id));
    const failed = results.find((r) => r?.status !== 'succeeded');
    if (failed !== undefined || results.length === 0) throw syncFailure(failed);
    printSummary(accounts.length, results as JobSnapshot[]);
  } finally {
    await engine.close();
  }
}

async function syncThroughRunningServer(options: SyncOptions, port: number): Promise<void> {
  const { syncThroughServer } = await import('./syncThroughServer.ts');
  const { job, accounts } = await syncThroughServer(port, { ...options, select: (db) => accountsToSync(db, options) });
  if (job.status !== 'succeeded') throw syncFailure(job);
  printSummary(accounts, [job]);
}

/** The accounts a sync covers: every connected one, or the one asked for. */
function accountsToSync(db: ReadableDb, options: SyncOptions): AccountRow[] {
  const accounts = listAccounts(db).filter(
    (a) => describeProvider(a.provider).capabilities.sync && (!options.accountId || a.id === options.accountId),
  );
  if (options.accountId && accounts.length === 0)
    throw new OutpostError('not_found', `no connected account ${options.accountId} (see outpost accounts list)`);
  if (accounts.length === 0)
    throw new OutpostError('not_connected', 'no connected accounts to sync; connect one with: outpost accounts connect google');
  return accounts;
}

function syncFailure(failed: JobSnapshot | undefined): OutpostError {
  const code = failed?.error?.code;
  return new OutpostError(
    isErrorCode(code) ? code : 'internal_error',
    `sync failed: ${failed?.error?.message ?? 'unknown error'}`,
  );
}

/** The one line scripts read (stdout), the same whichever process synced. */
function printSummary(accountCount: number, jobs: readonly JobSnapshot[]): void {
  const counts = sumCounts(jobs.map((job) => job.counts));
  process.stdout.write(
    `synced ${accountCount} account(s): ${counts.messagesProcessed ?? 0} messages, ${counts.threadsProcessed ?? 0} threads, ${counts.messagesDeleted ?? 0} deleted\n`,
  );
}

function sumCounts(all: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const counts of all) for (const [k, v] of Object.entries(counts)) total[k] = (total[k] ?? 0) + v;
  return total;
}
