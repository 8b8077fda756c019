import type { Credentials } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { GOOGLE_TOKENS, newGoogleOAuthClient } from '../../main/providers/gmail/gmailSession.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import { autoConsentBrowser, googleConfigFor, microsoftConfigFor, runMailSync } from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

describe('removing synced accounts (emulator)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  const count = (sql: string, ...args: unknown[]) =>
    engine.db
      .prepare(sql)
      .pluck()
      .get(...args) as number;

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 120 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    engine = openEngine({
      log: silentLog,
      dataDir: dir.path,
      providers: { google: googleConfigFor(emulator.baseUrl), microsoft: microsoftConfigFor(emulator.baseUrl) },
    });
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('removes a synced Google account, revokes its grant at Google, and keeps the Microsoft one', async () => {
    const google = await engine.providers.forConnect('google').connect({
      openBrowser: autoConsentBrowser,
    });
    const microsoft = await engine.providers.forConnect('microsoft').connect({
      openBrowser: formPostBrowser,
    });
    expect((await runMailSync(engine, google.id, 'full'))?.error).toBeNull();
    expect((await runMailSync(engine, microsoft.id, 'full'))?.error).toBeNull();
    const googleMessages = count('SELECT count(*) FROM messages WHERE account_id = ?', google.id);
    const microsoftMessages = count('SELECT count(*) FROM messages WHERE account_id = ?', microsoft.id);
    expect(googleMessages).toBeGreaterThan(50);
    const refreshToken = (JSON.parse(engine.vault.get(google.id, GOOGLE_TOKENS) ?? '{}') as Credentials).refresh_token;
    expect(refreshToken).toBeTruthy();

    const removed = await engine.removeAccount(google.id);
    expect(removed).toMatchObject({ messages: googleMessages, revoked: true });
    expect(count('SELECT count(*) FROM messages WHERE account_id = ?', google.id)).toBe(0);
    expect(engine.vault.get(google.id, GOOGLE_TOKENS)).toBeNull();
    // Google no longer honours the grant: the old refresh token is refused.
    const client = newGoogleOAuthClient(googleConfigFor(emulator.baseUrl));
    client.setCredentials({ refresh_token: refreshToken });
    await expect(client.refreshAccessToken()).rejects.toMatchObject({ response: { data: { error: 'invalid_grant' } } });
    // The other account syncs on, untouched.
    expect(count('SELECT count(*) FROM messages WHERE account_id = ?', microsoft.id)).toBe(microsoftMessages);
    expect((await runMailSync(engine, microsoft.id))?.error).toBeNull();

    // Microsoft has no per-app revocation: removed here, nothing to revoke (null).
    const removedMicrosoft = await engine.removeAccount(microsoft.id);
    expect(removedMicrosoft).toMatchObject({ messages: microsoftMessages, revoked: null });
    expect(count('SELECT count(*) FROM accounts')).toBe(0);
    expect(count('SELECT count(*) FROM blobs')).toBe(0);
  }, 120_000);
});
