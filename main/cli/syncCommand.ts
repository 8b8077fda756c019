import { isErrorCode } from '../../shared/errors.ts';
import { openLoggedEngine } from '../core/engine.ts';
import { OutpostError } from '../core/outpostError.ts';
import { listAccounts } from '../db/queries/accounts.ts';
import { describeProvider } from '../providers/descriptions.ts';

/**
 * `outpost sync [--full] [--account ID]`: runs the sync in this process (the
 * data directory's lock guarantees no `outpost serve` is syncing it too) and
 * shows a progress bar per account.
 */
export async function syncCommand(options: { dataDir: string; full: boolean; accountId?: string }): Promise<void> {
  const engine = await openLoggedEngine({ dataDir: options.dataDir, holder: 'outpost sync' });
  try {
    const accounts = listAccounts(engine.db).filter(
      (a) => describeProvider(a.provider).capabilities.sync && (!options.accountId || a.id === options.accountId),
    );
    if (options.accountId && accounts.length === 0)
      throw new OutpostError('not_found', `no connected account ${options.accountId} (see outpost accounts list)`);
    if (accounts.length === 0)
      throw new OutpostError('not_connected', 'no connected accounts to sync; connect one with: outpost accounts connect google');
    const emails = new Map(accounts.map((a) => [a.id, a.email]));
    const render = progressRenderer();
    const unsubscribe = engine.events.subscribe((event) => {
      if (event.type === 'job.progress' && event.account_id)
        render(emails.get(event.account_id) ?? event.account_id, event.done, event.total);
    });
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
    if (process.stderr.isTTY) process.stderr.write('\n');
    const results = jobIds.map((id) => engine.jobs.get(id));
    const failed = results.find((r) => r?.status !== 'succeeded');
    if (failed !== undefined || results.length === 0) {
      const code = failed?.error?.code;
      throw new OutpostError(
        isErrorCode(code) ? code : 'internal_error',
        `sync failed: ${failed?.error?.message ?? 'unknown error'}`,
      );
    }
    const counts = sumCounts(results.map((r) => r?.counts ?? {}));
    process.stdout.write(
      `synced ${accounts.length} account(s): ${counts.messagesProcessed ?? 0} messages, ${counts.threadsProcessed ?? 0} threads, ${counts.messagesDeleted ?? 0} deleted\n`,
    );
  } finally {
    await engine.close();
  }
}

function sumCounts(all: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const counts of all) for (const [k, v] of Object.entries(counts)) total[k] = (total[k] ?? 0) + v;
  return total;
}

function progressRenderer() {
  const width = 30;
  let lastLine = '';
  return (label: string, done: number, total: number | null) => {
    const fraction = total ? Math.min(1, done / total) : null;
    const bar = fraction === null ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width)}] `;
    const line = `${bar}${done}${total ? `/${total}` : ''} messages  ${label}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(lastLine.length)}`);
    else if (line !== lastLine) process.stderr.write(`${line}\n`);
    lastLine = line;
  };
}
