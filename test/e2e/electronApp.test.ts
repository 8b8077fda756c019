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

  it('opens a compose window prefilled from a mailto: link given at launch, and closes cleanly', async () => {
    const app = await electron.launch({
      executablePath: binary.path!,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        appDir,
        'mailto:ann@example.test?cc=bo@example.test&subject=Caf%C3%A9%20plans&body=See%20you%20at%209',
      ],
      env: { ...process.env, OUTPOST_DATA_DIR: join(dir.path, 'data'), OUTPOST_NO_PROMPTS: '1' } as Record<string, string>,
    });
    try {
      const main = await app.firstWindow();
      await expect.poll(() => main.getByRole('option').count(), { timeout: 20_000 }).toBeGreaterThan(5);
      await expect.poll(() => app.windows().length, { timeout: 10_000 }).toBe(2);
      const compose = app.windows().find((w) => w.url().includes('compose='));
      expect(compose).toBeDefined();
      await expect
        .poll(() => compose?.getByLabel('To', { exact: true }).inputValue(), { timeout: 10_000 })
        .toContain('ann@example.test');
      expect(await compose?.getByLabel('Cc').inputValue()).toContain('bo@example.test');
      expect(await compose?.getByLabel('Subject').inputValue()).toBe('Café plans');
    } finally {
      await app.close();
    }
    // Closed cleanly: the core released the data directory's lock.
    const reopened = await runCli(['accounts', 'list', '--data-dir', join(dir.path, 'data')]);
    expect(reopened.code).toBe(0);
  });
});
