#!/usr/bin/env node
// Builds dist/: the core and CLI (esbuild), the Electron main and preload
// (esbuild), and the renderer (Vite). --if-stale skips work when dist is
// newer than every source file; --watch rebuilds on change.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const args = new Set(process.argv.slice(2));

const nodeBuilds = [
  // Native and large dependencies stay in node_modules; only our code is bundled.
  // Split at the CLI's dynamic imports: a command loads only its own modules (and their packages).
  {
    entryPoints: { 'main/cli': 'main/cli.ts' },
    format: 'esm',
    outExtension: { '.js': '.js' },
    splitting: true,
    chunkNames: 'main/chunks/[name]-[hash]',
  },
  {
    entryPoints: { 'electron/main': 'main/electron/main.ts', 'electron/coreHost': 'main/electron/coreHost.ts' },
    format: 'esm',
    outExtension: { '.js': '.js' },
  },
  // Sandboxed preloads must be CommonJS.
  { entryPoints: { 'preload/index': 'preload/index.ts' }, format: 'cjs', outExtension: { '.js': '.cjs' } },
].map((options) => ({
  ...options,
  absWorkingDir: root,
  outdir: join(root, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
}));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStale() {
  const marker = join(root, 'dist', 'renderer', 'index.html');
  if (!existsSync(marker) || !existsSync(join(root, 'dist', 'main', 'cli.js'))) return true;
  const built = Math.min(statSync(marker).mtimeMs, statSync(join(root, 'dist', 'main', 'cli.js')).mtimeMs);
  const sources = ['main', 'renderer', 'preload', 'shared'].map((d) => newestMtime(join(root, d)));
  return Math.max(...sources, statSync(join(root, 'package.json')).mtimeMs) > built;
}

async function buildRenderer(watch) {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn', build: { watch: watch ? {} : null } });
}

if (args.has('--if-stale') && !isStale()) process.exit(0);

// Chunk names carry content hashes: drop the last build's, or they pile up.
rmSync(join(root, 'dist', 'main', 'chunks'), { recursive: true, force: true });

if (args.has('--watch')) {
  for (const options of nodeBuilds) await (await esbuild.context(options)).watch();
  await buildRenderer(true);
} else {
  await Promise.all([...nodeBuilds.map((options) => esbuild.build(options)), buildRenderer(false)]);
}
