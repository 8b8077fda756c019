import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenVault, VaultError } from '../../../main/auth/tokenVault.ts';
import { loadOrCreateVaultKey } from '../../../main/auth/vaultKeyFile.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('TokenVault', () => {
  let db: IndexDb;
  let a: string;
  let b: string;
  beforeEach(() => {
    db = openIndex(':memory:');
    a = ensureAccount(db, 'gmail', 'a@example.test').id;
    b = ensureAccount(db, 'gmail', 'b@example.test').id;
  });
  afterEach(() => db.close());

  it('round-trips secrets and never stores them in clear', () => {
    const vault = new TokenVault(db, randomBytes(32));
    vault.put(a, 'google.tokens', '{"refresh_token":"1//secret-refresh"}');
    expect(vault.get(a, 'google.tokens')).toBe('{"refresh_token":"1//secret-refresh"}');
    const sealed = db.prepare('SELECT sealed FROM credentials').pluck().get() as Buffer;
    expect(sealed.toString('latin1')).not.toContain('secret-refresh');
    vault.put(a, 'google.tokens', 'v2');
    expect(vault.get(a, 'google.tokens')).toBe('v2');
    expect(vault.get(b, 'google.tokens')).toBeNull();
  });

  it('refuses a wrong key and a ciphertext moved to another account', () => {
    const vault = new TokenVault(db, randomBytes(32));
    vault.put(a, 'msal.cache', 'cache');
    expect(() => new TokenVault(db, randomBytes(32)).get(a, 'msal.cache')).toThrow(VaultError);
    db.prepare(
      `INSERT INTO credentials (account_id, name, sealed, updated_at) SELECT ?, name, sealed, updated_at FROM credentials WHERE account_id = ?`,
    ).run(b, a);
    expect(() => vault.get(b, 'msal.cache')).toThrow(VaultError);
  });

  it('deletes one secret or all of an account, and goes with the account', () => {
    const vault = new TokenVault(db, randomBytes(32));
    vault.put(a, 'x', '1');
    vault.put(a, 'y', '2');
    vault.delete(a, 'x');
    expect(vault.get(a, 'x')).toBeNull();
    db.prepare('DELETE FROM accounts WHERE id = ?').run(a);
    expect(vault.get(a, 'y')).toBeNull();
  });
});

describe('loadOrCreateVaultKey', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('creates a 0600 key file once and reads the same key back', () => {
    const path = join(dir.path, 'vault.key');
    const key = loadOrCreateVaultKey(path);
    expect(key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateVaultKey(path).equals(key)).toBe(true);
  });

  it('rejects a damaged key file instead of replacing it', () => {
    const path = join(dir.path, 'vault.key');
    writeFileSync(path, 'short', { mode: 0o600 });
    expect(() => loadOrCreateVaultKey(path)).toThrow(/damaged/);
  });
});
