import { afterAll, beforeAll } from 'vitest';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { connectGoogleInto, providerEnvFor } from './emulatorAccounts.ts';
import { type UiSessionHarness, useUiSession } from './uiHarness.ts';
import type { UiSurface } from './uiSurface.ts';

export interface GmailUiSessionHarness extends UiSessionHarness {
  /** The provider emulator the UI's core talks to (started before the UI, stopped after it). */
  readonly emulator: RunningEmulator;
}

/**
 * For a describe block: the provider emulator with `messages` synthetic messages (none: an empty
 * mailbox), `prepare` run on it (mail of the test's own delivered), its Google user
 * (alice@gmail.test) connected through auto consent and synced into a data directory, and the UI
 * on it in the given surface, its core pointed at the emulator.
 */
export function useGmailUiSession(
  surface: UiSurface,
  messages: number,
  options: { prepare?: (emulator: RunningEmulator) => Promise<void> } = {},
): GmailUiSessionHarness {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: messages > 0 ? { kind: 'synthetic', count: messages } : { kind: 'empty' },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    await options.prepare?.(emulator);
  }, 60_000);
  afterAll(async () => {
    await emulator?.stop();
  });
  const running = () => {
    if (!emulator) throw new Error('the emulator has not started');
    return emulator;
  };
  const ui = useUiSession(
    surface,
    async (dataDir) => {
      await connectGoogleInto(dataDir, running(), 'email_sync');
    },
    () => ({ ...providerEnvFor(running().baseUrl), OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000' }),
  );
  return {
    surface: ui.surface,
    get session() {
      return ui.session;
    },
    get emulator() {
      return running();
    },
    openPage: ui.openPage,
    closePage: ui.closePage,
    composer: ui.composer,
    external: ui.external,
    screenshot: ui.screenshot,
    api: ui.api,
  };
}
