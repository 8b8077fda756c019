import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The installed Electron binary, found without require('electron') (which
 * tries to download a missing binary). Null, with the reason, where none is
 * installed: Electron's npm package cannot fetch its binary on machines
 * without access to its download host.
 */
export function findElectronBinary(): { path: string; reason: null } | { path: null; reason: string } {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
    if (existsSync(path)) return { path, reason: null };
  }
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      path: null,
      reason:
        'no Electron binary installed (node_modules/electron/path.txt missing; run `npx install-electron` where its download host is reachable)',
    };
  }
  const path = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(path) ? { path, reason: null } : { path: null, reason: `Electron binary missing at ${path}` };
}
