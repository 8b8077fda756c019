import { connectGoogle } from '../auth/connectGoogle.ts';
import { connectMicrosoft } from '../auth/connectMicrosoft.ts';
import { openEngine } from '../core/engine.ts';
import { listAccounts } from '../db/queries/accounts.ts';
import { CliError, usageError } from './cliError.ts';
import { openSystemBrowser } from './openBrowser.ts';

export async function accountsCommand(options: {
  dataDir: string;
  action: string | undefined;
  provider: string | undefined;
}): Promise<void> {
  const engine = openEngine({ dataDir: options.dataDir });
  try {
    switch (options.action) {
      case 'list':
      case undefined: {
        const accounts = listAccounts(engine.db);
        if (accounts.length === 0)
          process.stdout.write('no accounts; connect one with: outpost accounts connect google|microsoft\n');
        for (const a of accounts) process.stdout.write(`${a.id}  ${a.provider.padEnd(9)}  ${a.status.padEnd(12)}  ${a.email}\n`);
        return;
      }
      case 'connect': {
        if (options.provider === 'google') {
          if (!engine.providers.google)
            throw new CliError('set OUTPOST_GOOGLE_CLIENT_ID (and OUTPOST_GOOGLE_CLIENT_SECRET) first; see the README');
          const account = await connectGoogle(engine.db, engine.vault, engine.providers.google, {
            openBrowser: openSystemBrowser,
          });
          process.stdout.write(
            `connected ${account.email} (${account.id}); sync it with: outpost sync --account ${account.id}\n`,
          );
          return;
        }
        if (options.provider === 'microsoft') {
          if (!engine.providers.microsoft) throw new CliError('set OUTPOST_MICROSOFT_CLIENT_ID first; see the README');
          const account = await connectMicrosoft(engine.db, engine.vault, engine.providers.microsoft, {
            openBrowser: openSystemBrowser,
          });
          process.stdout.write(
            `connected ${account.email} (${account.id}); sync it with: outpost sync --account ${account.id}\n`,
          );
          return;
        }
        throw usageError('usage: outpost accounts connect google|microsoft');
      }
      default:
        throw usageError(`unknown accounts action "${options.action}" (list, connect)`);
    }
  } finally {
    await engine.close();
  }
}
