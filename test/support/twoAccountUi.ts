import { openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import {
  autoConsentBrowser,
  emulatorControl,
  googleConfigFor,
  microsoftConfigFor,
  providerEnvFor,
  runMailSync,
} from './emulatorAccounts.ts';
import { type UiSessionHarness, useUiSession } from './uiHarness.ts';
import type { UiSurface } from './uiSurface.ts';

export const GMAIL_USER = 'alice@gmail.test';

/** A draft in Gmail's Drafts written by another client (the phone), before Outpost's sync. */
export interface ElsewhereDraft {
  to: string;
  subject: string;
  text: string;
}

export interface TwoAccountUi extends UiSessionHarness {
  readonly emulator: RunningEmulator;
}

/**
 * The UI over a Gmail and an Outlook account (the emulator, seeded with `count` messages of the real
 * corpus each), both connected through their OAuth flows and synced in full; `drafts` are written in
 * Gmail's Drafts first, so they sync in as drafts.
 */
export function useTwoAccountUi(surface: UiSurface, count: number, drafts: ElsewhereDraft[] = []): TwoAccountUi {
  let emulator: RunningEmulator | undefined;
  const ui = useUiSession(
    surface,
    async (dataDir) => {
      emulator = await startEmulator({
        autoConsent: true,
        seed: { kind: 'synthetic', count },
        serviceOptions: { google: { quotaEnabled: false } },
      });
      for (const draft of drafts) await writeGmailDraft(emulator, draft);
      const engine = openEngine({
        log: silentLog,
        dataDir,
        providers: { google: googleConfigFor(emulator.baseUrl), microsoft: microsoftConfigFor(emulator.baseUrl) },
      });
      try {
        const google = await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
        const microsoft = await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
        await runMailSync(engine, google.id, 'full');
        await runMailSync(engine, microsoft.id, 'full');
      } finally {
        await engine.close();
      }
    },
    () => (emulator ? { ...providerEnvFor(emulator.baseUrl), OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000' } : {}),
  );
  return Object.defineProperty(ui, 'emulator', {
    get() {
      if (!emulator) throw new Error('the emulator has not started');
      return emulator;
    },
  }) as TwoAccountUi;
}

async function writeGmailDraft(emulator: RunningEmulator, draft: ElsewhereDraft): Promise<void> {
  const minted = (await emulatorControl(emulator)('/google/tokens', {
    method: 'POST',
    body: { email: GMAIL_USER, scopes: ['https://mail.google.com/'] },
  })) as { access_token: string };
  const raw = Buffer.from(
    `To: ${draft.to}\r\nSubject: ${draft.subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${draft.text}\r\n`,
  );
  const made = await fetch(`${emulator.baseUrl}/gmail/v1/users/me/drafts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${minted.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message: { raw: raw.toString('base64url') } }),
  });
  if (made.status !== 200) throw new Error(`the emulator refused the draft: ${made.status} ${await made.text()}`);
}
