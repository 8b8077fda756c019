import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Outpost keeps its index by default: the platform's per-user data folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.OUTPOST_DATA_DIR) return env.OUTPOST_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Outpost');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Outpost');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'outpost');
}

export function indexPath(dataDir: string): string {
  return join(dataDir, 'index.sqlite');
}

export function vaultKeyPath(dataDir: string): string {
  return join(dataDir, 'vault.key');
}

export function blobsDir(dataDir: string): string {
  return join(dataDir, 'blobs');
}

/** The folder holding Outpost's package.json, found from this module's location (source, bundle or asar alike). */
export function appRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'outpost')
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find Outpost package.json above ' + fileURLToPath(fromUrl));
    dir = parent;
  }
}

export function appVersion(): string {
  return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export function builtRendererDir(): string {
  return join(appRoot(), 'dist', 'renderer');
}
