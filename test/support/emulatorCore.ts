import { createSession } from '../../main/api/auth/sessions.ts';
import type { RateLimitConfig } from '../../main/api/rateLimits.ts';
import { type Core, startCore } from '../../main/core/startCore.ts';
import type { ConnectName } from '../../main/providers/registry.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import { autoConsentBrowser, googleConfigFor, microsoftConfigFor } from './emulatorAccounts.ts';
// Every response of the API built here is checked against its /openapi.json (test/support/apiContract.ts).
import './apiContract.ts';

export interface EmulatorCore {
  emulator: RunningEmulator;
  core: Core;
  /** The account connected through the provider's real sign-in. */
  accountId: string;
  /** An admin session token for the core's API. */
  adminSession: string;
  stop(): Promise<void>;
}

/**
 * The provider emulator seeded with `messages` synthetic messages, a core
 * (`startCore`, no scheduler, Gmail's quota off) on a data directory, and one
 * account connected through the real loopback sign-in: what the integration
 * tests of sending and logging start from.
 */
export async function startEmulatorCore(
  dataDir: string,
  options: { connect: ConnectName; messages: number; rateLimits?: Partial<RateLimitConfig> },
): Promise<EmulatorCore> {
  const emulator = await startEmulator({
    autoConsent: true,
    seed: { kind: 'synthetic', count: options.messages },
    serviceOptions: { google: { quotaEnabled: false } },
  });
  const google = options.connect === 'google';
  const core = await startCore({
    dataDir,
    port: 0,
    version: 'test',
    rendererDir: null,
    schedule: false,
    providers: google
      ? { google: googleConfigFor(emulator.baseUrl), microsoft: null }
      : { google: null, microsoft: microsoftConfigFor(emulator.baseUrl) },
    gmailQuota: { unitsPerSecond: 1_000_000 },
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  const account = await core.providers
    .forConnect(options.connect)
    .connect({ openBrowser: google ? autoConsentBrowser : formPostBrowser });
  return {
    emulator,
    core,
    accountId: account.id,
    adminSession: createSession(core.db, { admin: true }).token,
    async stop() {
      await core.close();
      await emulator.stop();
    },
  };
}
