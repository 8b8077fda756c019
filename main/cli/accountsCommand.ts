import { openIndexForReading } from '../core/indexAccess.ts';
import { OutpostError } from '../core/outpostError.ts';
import { listAccounts } from '../db/queries/accounts.ts';
import { messageCountOfAccount } from '../db/queries/threadReads.ts';
import { describeProvider, isConnectName } from '../providers/descriptions.ts';
import { usageError } from './usageError.ts';

export async function accountsCommand(options: {
  dataDir: string;
  action: string | undefined;
  /** connect: the provider; remove: the account's id or address. */
  target: string | undefined;
  yes: boolean;
}): Promise<void> {
  switch (options.action) {
    case 'list':
    case undefined:
      return listAccountsCommand(options.dataDir);
    case 'connect':
      if (!isConnectName(options.target)) throw usageError('usage: outpost accounts connect google|microsoft');
      return connectCommand(options.dataDir, options.target);
    case 'remove':
      if (!options.target) throw usageError('usage: outpost accounts remove ID|EMAIL --yes');
      return removeCommand(options.dataDir, options.target, options.yes);
    default:
      throw usageError(`unknown accounts action "${options.action}" (list, connect, remove)`);
  }
}

/** Reads the index only (never creating or upgrading it): no engine, no providers' clients to load. */
function listAccountsCommand(dataDir: string): void {
  const db = openIndexForReading(dataDir);
  try {
    const accounts = db ? listAccounts(db) : [];
    if (accounts.length === 0) process.stdout.write('no accounts; connect one with: outpost accounts connect google|microsoft\n');
    for (const a of accounts) process.stdout.write(`${a.id}  ${a.provider.padEnd(9)}  ${a.status.padEnd(12)}  ${a.email}\n`);
  } finally {
    db?.close();
  }
}

async function connectCommand(dataDir: string, provider: 'google' | 'microsoft'): Promise<void> {
  const [{ openLoggedEngine }, { openSystemBrowser }] = await Promise.all([
    import('../core/engine.ts'),
    import('./openBrowser.ts'),
  ]);
  const engine = await openLoggedEngine({ dataDir, holder: 'outpost accounts connect' });
  try {
    // An unconfigured provider refuses with provider_not_configured, naming the variable to set.
    const account = await engine.providers.forConnect(provider).connect({ openBrowser: openSystemBrowser });
    process.stdout.write(`connected ${account.email} (${account.id}); sync it with: outpost sync --account ${account.id}\n`);
  } finally {
    await engine.close();
  }
}

/** Deleting is asked for twice: without --yes it only says what would go. */
async function removeCommand(dataDir: string, target: string, yes: boolean): Promise<void> {
  const { openLoggedEngine } = await import('../core/engine.ts');
  const engine = await openLoggedEngine({ dataDir, holder: 'outpost accounts remove' });
  try {
    const wanted = target.trim().toLowerCase();
    const account = listAccounts(engine.db).find((a) => a.id === target || a.email === wanted);
    if (!account) throw new OutpostError('not_found', `no account ${target} (see outpost accounts list)`);
    const messages = messageCountOfAccount(engine.db, account.id);
    if (!yes)
      throw new OutpostError(
        'usage_error',
        `this deletes ${account.email} and its ${messages} messages from this computer (nothing at the provider); add --yes to do it`,
      );
    const removed = await engine.removeAccount(account.id);
    const name = describeProvider(account.provider).name;
    const revoked =
      removed.revoked === true
        ? `; ${name} revoked the grant`
        : removed.revoked === false
          ? `; ${name} could not be told: remove Outpost under your ${name} Account's third-party access`
          : '';
    process.stdout.write(
      `removed ${account.email}: ${removed.messages} messages, ${removed.events} events, ${removed.blobsFreed} stored files${revoked}\n`,
    );
  } finally {
    await engine.close();
  }
}
