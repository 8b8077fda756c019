import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * What a short command loads before it can answer (docs/benchmarks.md, CLI
 * start-up): its static import graph, read by esbuild the way the build reads
 * it. Dynamic imports are where a command may load more later; they are not
 * followed. A new static import of the engine, a provider's client or the
 * HTTP server in `outpost search` fails here, not silently in a benchmark.
 */
const root = join(import.meta.dirname, '..', '..', '..');

async function staticGraph(entry: string): Promise<{ files: string[]; packages: string[] }> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    outdir: 'unused',
  });
  const inputs = result.metafile.inputs;
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const imported of inputs[file]?.imports ?? []) {
      if (imported.kind === 'dynamic-import') continue;
      if (imported.external) packages.add(imported.path.replace(/^((@[^/]+\/)?[^/]+).*$/, '$1'));
      else visit(imported.path);
    }
  };
  visit(entry);
  return { files: [...files].sort(), packages: [...packages].sort() };
}

describe('what short commands load', () => {
  it('outpost search loads the index and the search, nothing of sync, providers, the API server or the log', async () => {
    const { files, packages } = await staticGraph('main/cli/searchCommand.ts');
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual(['better-sqlite3', 'stemmer']);
    const heavy = files.filter((f) =>
      /^main\/(sync|providers|api|auth|send|calendar|electron)\/|^main\/core\/(engine|log|startCore)\.ts$/.test(f),
    );
    expect(heavy).toEqual([]);
  });

  it.each(['accountsCommand', 'keysCommand', 'agendaCommand', 'sessionCommand'])(
    'outpost %s loads no provider client, sync engine or API server before it needs one',
    async (command) => {
      const { files, packages } = await staticGraph(`main/cli/${command}.ts`);
      expect(packages.filter((p) => /googleapis|google-auth|msal|fastify|pino|typebox/.test(p))).toEqual([]);
      expect(
        files.filter((f) =>
          /^main\/(sync|api\/server|electron)\/|^main\/providers\/(gmail|graph|gcal)\/|^main\/core\/engine\.ts$/.test(f),
        ),
      ).toEqual([]);
    },
  );

  it('outpost sync loads the mail composer (nodemailer, 70-80 ms of CPU to load) only when it sends', async () => {
    const { packages } = await staticGraph('main/cli/syncCommand.ts');
    expect(packages).toContain('@googleapis/gmail');
    expect(packages.filter((p) => p.startsWith('nodemailer'))).toEqual([]);
  });

  it('outpost sync loads msal-node (about 130 ms of CPU to load) only for a Microsoft account', async () => {
    const { packages } = await staticGraph('main/cli/syncCommand.ts');
    expect(packages.filter((p) => p.startsWith('@azure/'))).toEqual([]);
  });

  it('outpost sync loads no API schemas (typebox, 140 ms of CPU to load): the engine announces webhooks by name', async () => {
    const { packages } = await staticGraph('main/cli/syncCommand.ts');
    expect(packages.filter((p) => p === 'typebox' || p === 'fastify')).toEqual([]);
  });

  it('the CLI itself loads only argument parsing and the compile cache before the command', async () => {
    const { files, packages } = await staticGraph('main/cli.ts');
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect(files).toEqual([
      'main/cli.ts',
      'main/cli/compileCache.ts',
      'main/cli/usageError.ts',
      'main/core/outpostError.ts',
      'main/core/paths.ts',
    ]);
  });

  it('every command the CLI runs is a dynamic import', async () => {
    const commands = readdirSync(join(root, 'main', 'cli')).filter((f) => f.endsWith('Command.ts'));
    const { files } = await staticGraph('main/cli.ts');
    for (const command of commands) expect(files).not.toContain(`main/cli/${command}`);
  });
});
