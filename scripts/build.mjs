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

/**
 * What a short command loads before it can answer (docs/benchmarks.md, CLI start-up):
 * - Node's built-in modules are read when first used. An ESM import of one
 *   evaluates every export (node:fs loads fs/promises, streams and readline;
 *   node:crypto all of WebCrypto), and a module imported anywhere in a chunk
 *   loads even when the command never calls it (node:crypto for account ids,
 *   node:child_process for the background integrity check). Here each is a
 *   CommonJS module of getters that load it on first use. Callable modules
 *   (node:module, node:events, node:stream) are taken as they are.
 * - better-sqlite3 is CommonJS: required, not imported, so Node does not
 *   lex its source for export names on every start.
 */
const cliStartup = {
  name: 'cli-startup',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-builtin' }));
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, ({ path }) => {
      const builtin = process.getBuiltinModule(path);
      const id = JSON.stringify(path);
      if (typeof builtin === 'function') return { contents: `module.exports = process.getBuiltinModule(${id});`, loader: 'js' };
      const names = JSON.stringify(Object.getOwnPropertyNames(builtin));
      return {
        contents: `let loaded;\nfor (const name of ${names})\n  Object.defineProperty(exports, name, { enumerable: true, get: () => (loaded ??= process.getBuiltinModule(${id}))[name] });`,
        loader: 'js',
      };
    });
    build.onResolve({ filter: /^better-sqlite3$/ }, (args) => ({ path: args.path, namespace: 'required-package' }));
    build.onLoad({ filter: /.*/, namespace: 'required-package' }, ({ path }) => ({
      contents: `import { createRequire } from 'node:module';\nexport default createRequire(import.meta.url)(${JSON.stringify(path)});`,
      loader: 'js',
    }));
  },
};

/**
 * Each command is a bundle of its own, `dist/main/commands/<name>/<name>.js`,
 * which the CLI imports when the command runs: one file of Outpost's code to
 * load instead of the 17 chunks a bundle split across every command gave
 * `outpost search` (7 ms more CPU to load with a warm compile cache). A
 * command's bundle is split only at its own dynamic imports (`accounts list`
 * does not load the engine that `accounts connect` needs). The CLI and a
 * command each hold their own copies of the modules they share: what crosses
 * between them (options in, errors out) is plain data and errors told apart
 * by their `code`.
 */
const commandNames = readdirSync(join(root, 'main', 'cli'))
  .filter((file) => file.endsWith('Command.ts'))
  .map((file) => file.slice(0, -'.ts'.length));
const commandsApart = {
  name: 'cli-commands-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/cli\/\w+Command\.ts$/ }, ({ path, kind }) => {
      if (kind !== 'dynamic-import') return undefined;
      const name = path.slice('./cli/'.length, -'.ts'.length);
      return { path: `./commands/${name}/${name}.js`, external: true };
    });
  },
};

const nodeBuilds = [
  // Native and large dependencies stay in node_modules; only our code is bundled.
  // The CLI is one file: what its error handler imports when a command fails is inlined, run only then.
  {
    entryPoints: { 'main/cli': 'main/cli.ts' },
    format: 'esm',
    outExtension: { '.js': '.js' },
    plugins: [cliStartup, commandsApart],
  },
  ...commandNames.map((name) => ({
    entryPoints: { [`main/commands/${name}/${name}`]: `main/cli/${name}.ts` },
    format: 'esm',
    outExtension: { '.js': '.js' },
    splitting: true,
    chunkNames: `main/commands/${name}/[name]-[hash]`,
    plugins: [cliStartup],
  })),
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

// Chunk names carry content hashes: drop the last build's, or they pile up (main/chunks: builds before commands/).
rmSync(join(root, 'dist', 'main', 'chunks'), { recursive: true, force: true });
rmSync(join(root, 'dist', 'main', 'commands'), { recursive: true, force: true });

if (args.has('--watch')) {
  for (const options of nodeBuilds) await (await esbuild.context(options)).watch();
  await buildRenderer(true);
} else {
  await Promise.all([...nodeBuilds.map((options) => esbuild.build(options)), buildRenderer(false)]);
}
