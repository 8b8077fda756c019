import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { listLabels } from '../../main/db/queries/labels.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import {
  autoConsentBrowser,
  emulatorControl,
  googleConfigFor,
  microsoftConfigFor,
  runMailSync,
} from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

interface Snapshot {
  google: Record<string, { labels: Array<{ id: string; name: string }> }>;
  microsoft: { users: Array<{ upn: string; folders: Array<{ id: string; displayName: string; parentFolderId: string }> }> };
}

describe('labels and folders made, renamed and deleted at the provider (emulator)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let gmail: { id: string; email: string };
  let outlook: { id: string; email: string };
  const snapshot = async () => (await emulatorControl(emulator)('/snapshot')) as unknown as Snapshot;
  const gmailLabels = async () => (await snapshot()).google[gmail.email]?.labels ?? [];
  const outlookFolders = async () => (await snapshot()).microsoft.users.find((u) => u.upn === outlook.email)?.folders ?? [];
  const indexNames = (accountId: string) => listLabels(engine.db, accountId).map((l) => l.name);

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 20 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    engine = openEngine({
      log: silentLog,
      dataDir: dir.path,
      providers: { google: googleConfigFor(emulator.baseUrl), microsoft: microsoftConfigFor(emulator.baseUrl) },
    });
    gmail = await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
    outlook = await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
    expect((await runMailSync(engine, gmail.id, 'full'))?.error).toBeNull();
    expect((await runMailSync(engine, outlook.id, 'full'))?.error).toBeNull();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('Gmail: a label made, nested, renamed and deleted in Outpost is so at Gmail and in the index at once', async () => {
    const projects = await engine.labels.create(gmail.id, 'Projects', null);
    expect((await gmailLabels()).map((l) => l.name)).toContain('Projects');
    expect(projects).toMatchObject({ name: 'Projects', kind: 'user', role: null });

    const alpha = await engine.labels.create(gmail.id, 'Alpha', projects.id);
    expect(alpha.name).toBe('Projects/Alpha');
    expect((await gmailLabels()).find((l) => l.id === alpha.remote_id)?.name).toBe('Projects/Alpha');

    const renamed = await engine.labels.rename(alpha.id, 'Projects/Beta');
    expect(renamed.id).toBe(alpha.id);
    expect((await gmailLabels()).find((l) => l.id === alpha.remote_id)?.name).toBe('Projects/Beta');
    expect(indexNames(gmail.id)).toContain('Projects/Beta');
    expect(indexNames(gmail.id)).not.toContain('Projects/Alpha');

    await engine.labels.delete(alpha.id);
    expect((await gmailLabels()).map((l) => l.id)).not.toContain(alpha.remote_id);
    expect(indexNames(gmail.id)).not.toContain('Projects/Beta');

    // A sync afterwards agrees with what Outpost did (nothing comes back, nothing is lost).
    expect((await runMailSync(engine, gmail.id, 'full'))?.error).toBeNull();
    expect(indexNames(gmail.id)).toContain('Projects');
    expect(indexNames(gmail.id)).not.toContain('Projects/Beta');
  });

  it('Outlook: a folder made, nested (a child folder), renamed and deleted in Outpost is so at Outlook and in the index', async () => {
    const clients = await engine.labels.create(outlook.id, 'Clients', null);
    expect(clients).toMatchObject({ name: 'Clients', kind: 'folder', role: null });
    const child = await engine.labels.create(outlook.id, 'Acme', clients.id);
    const folders = await outlookFolders();
    expect(folders.find((f) => f.id === child.remote_id)).toMatchObject({
      displayName: 'Acme',
      parentFolderId: clients.remote_id,
    });

    // The index knows where it sits (the sidebar nests it under Clients).
    expect(child.parent_remote_id).toBe(clients.remote_id);

    await engine.labels.rename(child.id, 'Acme Corp');
    expect((await outlookFolders()).find((f) => f.id === child.remote_id)?.displayName).toBe('Acme Corp');
    expect(indexNames(outlook.id)).toContain('Acme Corp');

    await engine.labels.delete(clients.id);
    // Exchange keeps a deleted folder in Deleted Items (as Outlook does): no longer where it was.
    const trash = listLabels(engine.db, outlook.id).find((l) => l.role === 'trash');
    const deleted = (await outlookFolders()).find((f) => f.id === clients.remote_id);
    expect(deleted === undefined || deleted.parentFolderId === trash?.remote_id).toBe(true);
    expect(indexNames(outlook.id)).not.toContain('Clients');
  });

  it("refuses to rename or delete the provider's own folders, and says which", async () => {
    const inbox = listLabels(engine.db, outlook.id).find((l) => l.role === 'inbox');
    if (!inbox) throw new Error('no Outlook inbox in the index');
    await expect(engine.labels.rename(inbox.id, 'Mine')).rejects.toMatchObject({ code: 'validation_error' });
    await expect(engine.labels.delete(inbox.id)).rejects.toMatchObject({ code: 'validation_error' });
    expect((await outlookFolders()).find((f) => f.id === inbox.remote_id)?.displayName).toBe(inbox.name);
  });

  it('says the provider refused a name it already has, and changes nothing here', async () => {
    const before = indexNames(gmail.id).length;
    await expect(engine.labels.create(gmail.id, 'Projects', null)).rejects.toMatchObject({ code: 'provider_error' });
    expect(indexNames(gmail.id)).toHaveLength(before);
  });
});
