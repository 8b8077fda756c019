import { join } from 'node:path';
import { _electron as electron } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { findElectronBinary } from '../support/electronBinary.ts';
import { runCli } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

const binary = findElectronBinary();
const appDir = join(import.meta.dirname, '..', '..');

describe.skipIf(binary.path === null)(`the Electron desktop app${binary.reason ? ` — skipped: ${binary.reason}` : ''}`, () => {
  const dir = makeTempDir();
  beforeAll(async () => {
    const mbox = join(dir.path, 'corpus.mbox');
    writeCorpusMbox(mbox, 50);
    await runCli(['import-mbox', mbox, '--data-dir', join(dir.path, 'data')]);
  });
  afterAll(() => dir.remove());

  it('starts the core, shows the thread list, opens a thread and quits cleanly', async () => {
    const app = await electron.launch({
      executablePath: binary.path!,
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), appDir],
      env: { ...process.env, OUTPOST_DATA_DIR: join(dir.path, 'data') } as Record<string, string>,
    });
    try {
      const window = await app.firstWindow();
      const rows = window.getByRole('option');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(5);
      // The renderer reached the API through the preload bridge, not the URL.
      expect(await window.evaluate(() => typeof (window as unknown as { outpost?: unknown }).outpost)).toBe('object');
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      await rows.first().click();
      await expect.poll(() => window.locator('article.message').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});
