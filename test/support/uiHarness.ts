import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { afterAll, beforeAll } from 'vitest';
import { makeTempDir } from './tempDir.ts';
import type { PageOptions, SessionOptions, UiSession, UiSurface } from './uiSurface.ts';

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

export interface UiSessionHarness {
  readonly surface: UiSurface;
  readonly session: UiSession;
  /** A page on the app from its start (a new tab, or the desktop window reloaded). */
  openPage(options?: PageOptions): Promise<Page>;
  closePage(page: Page): Promise<void>;
  /** The page a message is written in after `open` (the same tab, or the desktop's compose window). */
  composer(page: Page, open: () => Promise<void>): Promise<Page>;
  /** The page outside the app that `open` leads to (a provider's consent page). */
  external(page: Page, open: () => Promise<void>): Promise<Page>;
  /** A screenshot under test-results/screenshots, named per surface (electron- prefix for the desktop app). */
  screenshot(page: Page, name: string): Promise<void>;
  /** A call to the local API with the UI's own (admin) session. */
  api(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * For a describe block: a temporary data directory filled by `seed`, and the
 * UI on it in the given surface (Chromium on `outpost serve`, or the Electron
 * app); all torn down after the block.
 */
export function useUiSession(
  surface: UiSurface,
  seed: (dataDir: string, scratchDir: string) => Promise<void> | void,
  env: () => Record<string, string> = () => ({}),
  options: SessionOptions = {},
): UiSessionHarness {
  const dir = makeTempDir();
  let session: UiSession | undefined;
  beforeAll(async () => {
    const dataDir = join(dir.path, 'data');
    await seed(dataDir, dir.path);
    session = await surface.start(dataDir, env(), options);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await session?.stop();
    dir.remove();
  });
  const current = () => {
    if (!session) throw new Error('the UI has not started');
    return session;
  };
  return {
    surface,
    get session() {
      return current();
    },
    openPage: (options) => current().openPage(options),
    closePage: (page) => current().closePage(page),
    composer: (page, open) => current().composer(page, open),
    external: (page, open) => current().external(page, open),
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOTS, surface.name === 'chromium' ? name : `electron-${name}`) });
    },
    api: (path, init = {}) =>
      fetch(`${current().baseUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${current().sessionToken}`, ...(init.headers as Record<string, string>) },
      }),
  };
}
