import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../support/indexFixtures.ts';
import { runCli } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

/**
 * What a short command loads is most of what it costs (docs/benchmarks.md,
 * CLI start-up): a preload writes down, at exit, the Node built-in modules the
 * process loaded beyond what Node itself had loaded before the command's code.
 */
describe('outpost search loads only the Node modules it uses', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  const preload = join(dir.path, 'builtins.mjs');
  const report = join(dir.path, 'builtins.json');

  beforeAll(() => {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const db = openIndex(join(dataDir, 'index.sqlite'));
    const { account } = seedAccount(db);
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'a', subject: 'Budget meeting', bodyText: 'meeting notes', sentAt: Date.UTC(2024, 1, 1) }),
    ]);
    db.close();
    writeFileSync(
      preload,
      `import { writeFileSync } from 'node:fs';
const before = new Set(process.moduleLoadList);
process.on('exit', () => {
  const loaded = process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice(13));
  writeFileSync(${JSON.stringify(report)}, JSON.stringify(loaded));
});
`,
    );
  });
  afterAll(() => dir.remove());

  const loadedBy = async (args: string[]) => {
    const result = await runCli(args, { NODE_OPTIONS: `--import ${pathToFileURL(preload).href}` });
    return { ...result, loaded: JSON.parse(readFileSync(report, 'utf8')) as string[] };
  };

  it('neither crypto nor child_process (only creating accounts and the background integrity check use them)', async () => {
    const { code, stdout, stderr, loaded } = await loadedBy(['search', 'meeting', '--data-dir', dataDir]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/Budget meeting\n[\s\S]*1 conversation\n$/);
    expect(loaded).not.toContain('crypto');
    expect(loaded).not.toContain('child_process');
    // node:fs taken through an ESM import would have loaded fs/promises (and readline with it).
    expect(loaded).not.toContain('internal/fs/promises');
    // better-sqlite3 is required, not imported: Node does not lex its CommonJS source for export names.
    expect(loaded).not.toContain('internal/deps/cjs-module-lexer/lexer');
  });

  it('a command that uses them still finds them: session create (crypto)', async () => {
    const { code, stdout, stderr, loaded } = await loadedBy(['session', 'create', '--data-dir', dataDir]);
    expect(code, stderr).toBe(0);
    expect(stdout.trim()).toMatch(/^\S{20,}$/);
    expect(loaded).toContain('crypto');
  });
});
