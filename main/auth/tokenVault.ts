import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { OutpostError } from '../core/outpostError.ts';
import type { WritableDb } from '../db/handles.ts';
import { deleteCredentials, getCredential, putCredential } from '../db/queries/credentials.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class VaultError extends OutpostError {
  constructor(message: string) {
    super('vault_unreadable', message);
  }
}

/**
 * Secrets at rest (refresh tokens, MSAL token caches): AES-256-GCM with a
 * data key the host supplies (Electron: safeStorage; headless: a 0600 key
 * file). The account id and secret name are authenticated data, so a
 * ciphertext copied onto another account's row fails to decrypt.
 */
export class TokenVault {
  readonly #db: WritableDb;
  readonly #key: Buffer;

  constructor(db: WritableDb, dataKey: Buffer) {
    if (dataKey.length !== 32) throw new Error('the vault data key must be 32 bytes');
    this.#db = db;
    this.#key = dataKey;
  }

  put(accountId: string, name: string, secret: string): void {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(`${accountId}\n${name}`));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
    putCredential(this.#db, accountId, name, sealed, Date.now());
  }

  get(accountId: string, name: string): string | null {
    const sealed = getCredential(this.#db, accountId, name);
    if (!sealed) return null;
    try {
      const iv = sealed.subarray(0, IV_BYTES);
      const tag = sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
      decipher.setAAD(Buffer.from(`${accountId}\n${name}`));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new VaultError(
        `the stored ${name} of account ${accountId} cannot be decrypted (wrong vault key or tampered data); reconnect the account`,
      );
    }
  }

  delete(accountId: string, name?: string): void {
    deleteCredentials(this.#db, accountId, name);
  }
}
