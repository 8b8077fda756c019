import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium.ts';
import { type RunningServe, startServe } from './serveProcess.ts';
import { makeTempDir } from './tempDir.ts';

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

export interface UiHarness {
  readonly serve: RunningServe;
  readonly browser: Browser;
}

/**
 * For a describe block: a temporary data directory filled by `seed`, the built
 * `outpost serve` on it (random port), and Debian's Chromium; all torn down
 * after the block.
 */
export function useUiHarness(seed: (dataDir: string, scratchDir: string) => Promise<void> | void): UiHarness {
  const dir = makeTempDir();
  const state: { serve?: RunningServe; browser?: Browser } = {};
  beforeAll(async () => {
    const dataDir = join(dir.path, 'data');
    await seed(dataDir, dir.path);
    state.serve = await startServe(dataDir);
    state.browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.serve?.stop();
    dir.remove();
  });
  return {
    get serve() {
      return state.serve as RunningServe;
    },
    get browser() {
      return state.browser as Browser;
    },
  };
}
