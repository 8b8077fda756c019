import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectName } from '../../../main/providers/registry.ts';
import { emulatorControl, remoteGmailSnapshot, remoteGraphSnapshot } from '../../support/emulatorAccounts.ts';
import { type EmulatorCore, startEmulatorCore } from '../../support/emulatorCore.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/**
 * POST /api/services/{id}/sync answers the mode that actually ran (the
 * DelightBridge reference: "the sync mode that was used"): an incremental sync
 * whose position had expired walks the whole mailbox again, and says "full".
 * Over the provider emulator, through the real core and HTTP.
 */
describe.each<[ConnectName, string]>([
  ['google', 'alice@gmail.test'],
  ['microsoft', 'bob@contoso.test'],
])('POST /api/services/{id}/sync reports the mode run (%s)', (connect, user) => {
  const dir = makeTempDir();
  let started: EmulatorCore;

  beforeAll(async () => {
    started = await startEmulatorCore(dir.path, { connect, messages: 150 });
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
    dir.remove();
  });

  const syncService = async (mode?: 'full' | 'incremental') => {
    const query = mode ? `?mode=${mode}` : '';
    const res = await fetch(`${started.core.baseUrl}/api/services/${started.accountId}/sync${query}`, {
      method: 'POST',
      headers: { cookie: `authjs.session-token=${started.adminSession}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { ok: boolean; mode: string; messagesProcessed: number; threadsProcessed: number };
  };
  const control = (path: string) => emulatorControl(started.emulator)(path, { method: 'POST', body: {} });
  /** Deletes one message at the provider and makes the stored incremental position unusable. */
  const expirePosition = async () => {
    if (connect === 'google') {
      const [victim] = await remoteGmailSnapshot(started.emulator, user);
      await emulatorControl(started.emulator)(`/google/users/${user}/messages/${victim?.id}`, { method: 'DELETE' });
      await control(`/google/users/${user}/history/expire`);
    } else {
      const [victim] = await remoteGraphSnapshot(started.emulator, user);
      await emulatorControl(started.emulator)(`/microsoft/messages/${victim?.id}`, { method: 'DELETE' });
      await control('/microsoft/invalidate-delta');
    }
  };

  it('says "full" for the first sync, which reads the whole mailbox, and "incremental" after it', async () => {
    expect(await syncService()).toMatchObject({ ok: true, mode: 'full', messagesProcessed: expect.any(Number) });
    expect(await syncService()).toMatchObject({ ok: true, mode: 'incremental' });
  });

  it('says "full" when an incremental sync found its position expired and walked the mailbox again', async () => {
    await expirePosition();
    const fellBack = await syncService('incremental');
    expect(fellBack).toMatchObject({ ok: true, mode: 'full' });
    expect(fellBack.messagesProcessed).toBeGreaterThanOrEqual(100);
    expect(await syncService()).toMatchObject({ ok: true, mode: 'incremental' });
  });

  it('says "full" for a full sync asked for', async () => {
    expect(await syncService('full')).toMatchObject({ ok: true, mode: 'full' });
  });
});
