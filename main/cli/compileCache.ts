import { existsSync, mkdirSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';

/** Where Node keeps the compiled code of Outpost's modules for the next command. */
export function compileCacheDir(dataDir: string): string {
  return join(dataDir, 'cache', 'compile');
}

/**
 * Turns on Node's compile cache (module.enableCompileCache) in the data
 * directory before a command's modules load: V8 then reuses the code it
 * compiled for the bundle and better-sqlite3 in the last run instead of
 * compiling them again (docs/benchmarks.md, CLI start-up). Kept in the
 * user's private data directory, not a shared temporary one, since the
 * cache is code that runs; Node checks every entry against its source and
 * Node version and ignores one that does not match. Nothing is created when
 * the data directory does not exist (a read-only command makes no data
 * directory), and a cache that cannot be made leaves the command as it is
 * without one. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 */
export function enableCompileCacheIn(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  const dir = compileCacheDir(dataDir);
  // 0700 like everything else in the data directory (main/core/privateFiles.ts): Node makes a
  // folder per Node version inside when enabling the cache (under this umask), its files 0600.
  const umask = process.umask(0o077);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    enableCompileCache(dir);
  } catch {
    // No cache: the command runs as it would without one.
  } finally {
    process.umask(umask);
  }
}
