#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { enableCompileCacheIn } from './cli/compileCache.ts';
import { exitCodeOf, usageError } from './cli/usageError.ts';
import { appVersion, defaultDataDir } from './core/paths.ts';

// A function: the default data directory it names is worked out only when help is asked for.
const help = () => `outpost — offline mail and calendar index with a local API

Usage:
  outpost serve [--port N] [--data-dir DIR]     run the core and the local API/UI on 127.0.0.1 (default port 7766)
  outpost import-mbox FILE [--account EMAIL]    import an mbox file into a local account
  outpost accounts [list]                       list connected accounts
  outpost accounts connect google|microsoft     connect an account (opens the provider's sign-in page)
  outpost accounts remove ID|EMAIL --yes        delete an account and its synced mail and calendars from this computer
  outpost sync [--full] [--account ID]          sync mail now, with progress (through outpost serve when it runs)
  outpost agenda [--days N]                     the coming days of every calendar (default 7)
  outpost search QUERY [--account ID] [--limit N] [--prefix] [--messages]
                                                search the index (Gmail-style operators): conversations newest first and how
                                                many match; --prefix: the last word as typed; --messages: one line per message
  outpost keys create --name N --scope S ...   print a new API key (wbk_...); scopes: read:email write:email read:calendar write:calendar admin
  outpost keys list | keys revoke ID           list API keys (never the keys themselves) / revoke one
  outpost session create [--admin]              print a new session token
  outpost logs [--lines N]                      the newest lines of the log (<data-dir>/logs), readable (default 50)
  outpost doctor                                the index's integrity, sizes (index, WAL, stored files) and orphaned files
  outpost repair                                rebuild a damaged index from the kept raw messages (the damaged file is kept aside)
  outpost --version | --help

Common options:
  --data-dir DIR   where the index lives (default: ${defaultDataDir()}; env OUTPOST_DATA_DIR)
`;

// Each command is loaded when it runs: `outpost --version` or `keys list` need not load the providers' clients.
async function main(argv: string[]): Promise<void> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) return void process.stdout.write(`${appVersion()}\n`);
  const [command, ...rest] = positionals;
  if (values.help || !command) return void process.stdout.write(help());
  const dataDir = values['data-dir'] ?? defaultDataDir();
  dataDirInUse = dataDir;
  enableCompileCacheIn(dataDir);

  switch (command) {
    case 'serve':
      return (await import('./cli/serveCommand.ts')).serveCommand({ dataDir, port: parsePort(values.port ?? '7766') });
    case 'import-mbox': {
      const file = rest[0];
      if (!file) throw usageError('import-mbox needs a FILE');
      return (await import('./cli/importMboxCommand.ts')).importMboxCommand({ dataDir, file, account: values.account });
    }
    case 'accounts':
      return (await import('./cli/accountsCommand.ts')).accountsCommand({
        dataDir,
        action: rest[0],
        target: rest[1],
        yes: values.yes ?? false,
      });
    case 'sync':
      return (await import('./cli/syncCommand.ts')).syncCommand({
        dataDir,
        full: values.full ?? false,
        accountId: values.account,
      });
    case 'agenda': {
      const days = values.days === undefined ? 7 : Number(values.days);
      if (!Number.isInteger(days) || days < 1 || days > 366) throw usageError('--days must be a number from 1 to 366');
      // OUTPOST_NOW pins "today" (tests, and reproducing a user's report).
      return (await import('./cli/agendaCommand.ts')).agendaCommand({
        dataDir,
        days,
        now: process.env.OUTPOST_NOW ? Number(process.env.OUTPOST_NOW) : undefined,
      });
    }
    case 'search': {
      if (rest.length === 0) throw usageError('search needs a QUERY');
      const limit = values.limit === undefined ? 20 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw usageError('--limit must be a number from 1 to 500');
      return (await import('./cli/searchCommand.ts')).searchCommand({
        dataDir,
        query: rest.join(' '),
        accountId: values.account,
        limit,
        prefix: values.prefix ?? false,
        messages: values.messages ?? false,
      });
    }
    case 'keys':
      return (await import('./cli/keysCommand.ts')).keysCommand({
        dataDir,
        args: rest,
        name: values.name,
        scopes: values.scope ?? [],
      });
    case 'session':
      if (rest[0] !== 'create') throw usageError('usage: outpost session create [--admin]');
      return (await import('./cli/sessionCommand.ts')).sessionCreateCommand({ dataDir, admin: values.admin ?? false });
    case 'logs': {
      const lines = values.lines === undefined ? 50 : Number(values.lines);
      if (!Number.isInteger(lines) || lines < 1 || lines > 100_000) throw usageError('--lines must be a number from 1 to 100000');
      return (await import('./cli/logsCommand.ts')).logsCommand({ dataDir, lines });
    }
    case 'doctor':
      return (await import('./cli/doctorCommand.ts')).doctorCommand({ dataDir });
    case 'repair':
      return (await import('./cli/repairCommand.ts')).repairCommand({ dataDir });
    default:
      throw usageError(`unknown command "${command}"`);
  }
}

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      account: { type: 'string' },
      limit: { type: 'string' },
      days: { type: 'string' },
      lines: { type: 'string' },
      admin: { type: 'boolean' },
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      full: { type: 'boolean' },
      prefix: { type: 'boolean' },
      messages: { type: 'boolean' },
      yes: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw usageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
}

/** The data directory the command works on, once known: a damaged page met on the way is written down there. */
let dataDirInUse: string | null = null;

main(process.argv.slice(2)).catch(async (failure: unknown) => {
  let error = failure;
  const code = (failure as { code?: unknown })?.code;
  if (dataDirInUse && typeof code === 'string' && /^(SQLITE_CORRUPT|SQLITE_NOTADB|index_corrupt)/.test(code)) {
    // Met past the check before opening (an index too large for it): written down, so every later opening refuses.
    error = (await import('./core/indexCondition.ts')).asIndexDamage(dataDirInUse, failure);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`outpost: ${message.split('\n')[0]}\n`);
  process.exitCode = exitCodeOf(error);
});
