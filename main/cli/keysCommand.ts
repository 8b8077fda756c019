import { createApiKey, isScope, listApiKeys, revokeApiKey, SCOPES } from '../api/auth/apiKeys.ts';
import { openIndexForReading, openIndexForWriting } from '../core/indexAccess.ts';
import { usageError } from './usageError.ts';

const USAGE = 'usage: outpost keys create --name NAME --scope SCOPE [--scope SCOPE ...] | keys list | keys revoke ID';

/** `outpost keys create|list|revoke`: API keys for local scripts (the key is printed once). */
export function keysCommand(options: {
  dataDir: string;
  args: readonly string[];
  name?: string;
  scopes: readonly string[];
}): void {
  const [action, id] = options.args;
  if (action !== 'create' && action !== 'list' && action !== 'revoke') throw usageError(USAGE);
  if (action === 'create') {
    if (!options.name) throw usageError('keys create needs --name NAME');
    if (options.scopes.length === 0) throw usageError(`keys create needs at least one --scope (${SCOPES.join(', ')})`);
    const bad = options.scopes.find((s) => !isScope(s));
    if (bad) throw usageError(`unknown scope "${bad}" (one of ${SCOPES.join(', ')})`);
  }
  if (action === 'revoke' && !id) throw usageError('keys revoke needs the key ID (see outpost keys list)');
  if (action === 'list') {
    listKeys(options.dataDir);
    return;
  }
  const db = openIndexForWriting(options.dataDir);
  try {
    if (action === 'create') {
      const { key, info } = createApiKey(db, options.name ?? '', options.scopes.filter(isScope));
      process.stdout.write(`${key}\n`);
      process.stderr.write(`created ${info.id} (${info.scopes.join(' ')}); the key is shown only now\n`);
    } else if (!revokeApiKey(db, id ?? '')) {
      throw usageError(`no API key ${id}`);
    } else {
      process.stdout.write(`revoked ${id}\n`);
    }
  } finally {
    db.close();
  }
}

/** Reads the index only; no index yet is no keys. */
function listKeys(dataDir: string): void {
  const db = openIndexForReading(dataDir);
  try {
    for (const k of db ? listApiKeys(db) : [])
      process.stdout.write(
        `${k.id}  ${k.prefix}…  ${k.name}  ${k.scopes.join(',')}  ${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}\n`,
      );
  } finally {
    db?.close();
  }
}
