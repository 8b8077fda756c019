import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicrosoftConfig } from '../../main/auth/providerConfig.ts';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import { emulatorControl, runMailSync } from '../support/emulatorAccounts.ts';
import { mimeWithAttachments } from '../support/mimeFixtures.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'bob@contoso.test';
const CAP = 1024;
const SMALL = Buffer.from('a small attachment, well within the cap\n'.repeat(3));
const LARGE = Buffer.alloc(CAP * 4, 7);

describe('Outlook attachments: the cap read from metadata, bytes fetched once (Graph emulator, request counters)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;
  let remoteId: string;

  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);
  /** Attachment requests since the last call (the counters are cleared each time). */
  const attachmentRequests = async () => {
    const { requests } = (await control('/counters')) as { requests: Record<string, number> };
    await control('/counters', { method: 'DELETE' });
    return Object.fromEntries(Object.entries(requests).filter(([endpoint]) => endpoint.startsWith('graph.attachments.')));
  };
  const stored = () =>
    engine.db
      .prepare(
        `SELECT a.id, a.filename, a.size_bytes, a.blob_sha256 FROM attachments a JOIN messages m ON m.id = a.message_id
         WHERE m.account_id = ? AND m.remote_id = ? ORDER BY a.part_index`,
      )
      .all(accountId, remoteId) as Array<{ id: number; filename: string; size_bytes: number; blob_sha256: string | null }>;
  const sync = async () => expect((await runMailSync(engine, accountId))?.error).toBeNull();

  beforeAll(async () => {
    emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: 5 } });
    const config: MicrosoftConfig = {
      clientId: '11111111-2222-3333-4444-555555555555',
      authority: `${emulator.baseUrl}/common`,
      knownAuthorities: [new URL(emulator.baseUrl).host],
      graphBaseUrl: `${emulator.baseUrl}/v1.0`,
    };
    engine = openEngine({
      log: silentLog,
      dataDir: dir.path,
      attachmentSizeCap: CAP,
      providers: { google: null, microsoft: config },
    });
    accountId = (await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser })).id;
    await sync();
    remoteId = String(
      (
        await control('/microsoft/messages', {
          method: 'POST',
          body: {
            raw: mimeWithAttachments({
              from: 'dan@example.test',
              to: USER,
              subject: 'Two files',
              messageId: 'two-files@example.test',
              text: 'Files attached.',
              files: [
                ['small.txt', SMALL],
                ['large.bin', LARGE],
              ],
            }),
          },
        })
      ).id,
    );
    await attachmentRequests();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('lists metadata, downloads only the attachment within the cap, and keeps the other by name and size', async () => {
    await sync();
    expect(await attachmentRequests()).toEqual({ 'graph.attachments.list': 1, 'graph.attachments.get': 1 });
    const [small, large] = stored();
    expect(small).toMatchObject({ filename: 'small.txt', size_bytes: SMALL.length });
    expect(engine.blobs.read(small?.blob_sha256 as string)).toEqual(SMALL);
    expect(large).toMatchObject({ filename: 'large.bin', size_bytes: LARGE.length, blob_sha256: null });
  });

  it('asks for no attachment again after read, flag, category and folder changes; ids and stored bytes stay', async () => {
    const before = stored();
    await control(`/microsoft/messages/${remoteId}`, {
      method: 'PATCH',
      body: { isRead: true, flagStatus: 'flagged', categories: ['Red category'] },
    });
    await sync();
    expect(await attachmentRequests()).toEqual({});
    expect(stored()).toEqual(before);
    // Moved into a folder walked before and into one walked after its Inbox: the message is written where it went, never
    // deleted and fetched again.
    for (const folder of ['archive', 'junkemail', 'inbox']) {
      await control(`/microsoft/messages/${remoteId}/move`, { method: 'POST', body: { folder } });
      await sync();
      expect(await attachmentRequests()).toEqual({});
      expect(stored()).toEqual(before);
    }
  });
  it('a run cut short after a folder reported a deletion still deletes the message in the next run', async () => {
    const messageIn = async (folder: string, raw?: string) =>
      String((await control('/microsoft/messages', { method: 'POST', body: { folder, subject: 'Short-lived', raw } })).id);
    const victim = await messageIn('inbox');
    await sync();
    const indexed = (id: string) =>
      engine.db.prepare('SELECT count(*) FROM messages WHERE account_id = ? AND remote_id = ?').pluck().get(accountId, id);
    expect(indexed(victim)).toBe(1);
    // Deleted for good from the Inbox (walked first); the run then fails in the Archive (walked last) on a new message's attachments.
    await control(`/microsoft/messages/${victim}`, { method: 'DELETE' });
    const archived = await messageIn(
      'archive',
      mimeWithAttachments({
        from: 'erin@example.test',
        to: USER,
        subject: 'Archived with a file',
        messageId: 'archived@example.test',
        text: 'Filed.',
        files: [['note.txt', SMALL]],
      }),
    );
    await control('/faults', {
      method: 'POST',
      body: { fault: { endpoint: 'graph.attachments.list', kind: 'status', status: 400, count: 1 } },
    });
    expect((await runMailSync(engine, accountId))?.error).not.toBeNull();
    expect(indexed(victim)).toBe(1);
    await sync();
    expect(indexed(victim)).toBe(0);
    expect(indexed(archived)).toBe(1);
  });
});
