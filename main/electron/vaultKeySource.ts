import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateVaultKey } from '../auth/vaultKeyFile.ts';

/** The part of Electron's safeStorage this module needs (injected, so it is tested under Node). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface VaultKey {
  key: Buffer;
  /** "keychain": protected by the OS (Keychain, DPAPI, libsecret); "file": a 0600 key file, shown as a warning in settings. */
  protection: 'keychain' | 'file';
}

/**
 * The vault's data key in the desktop app: generated once, stored encrypted by
 * safeStorage. Where no keyring exists (Linux without one), falls back to the
 * headless 0600 key file and says so, rather than refusing to start.
 */
export function desktopVaultKey(dataDir: string, safeStorage: SafeStorageLike): VaultKey {
  const sealedPath = join(dataDir, 'vault.key.sealed');
  if (safeStorage.isEncryptionAvailable()) {
    if (existsSync(sealedPath)) {
      return { key: Buffer.from(safeStorage.decryptString(readFileSync(sealedPath)), 'base64'), protection: 'keychain' };
    }
    const filePath = join(dataDir, 'vault.key');
    // An index first opened headless keeps its key; it moves under the keychain's protection.
    const key = existsSync(filePath) ? loadOrCreateVaultKey(filePath) : randomBytes(32);
    writeFileSync(sealedPath, safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
    return { key, protection: 'keychain' };
  }
  return { key: loadOrCreateVaultKey(join(dataDir, 'vault.key')), protection: 'file' };
}
