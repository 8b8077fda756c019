/**
 * Outlook's message ids change when a message moves to another folder, unless a request asks
 * `Prefer: IdType="ImmutableId"`. Outpost keys its index and its pending changes on the ids Graph gives
 * it, so it asks on every request: a move made in Outpost followed by a read flip and a flag, and a move
 * by another client while a local flag waits, all reach Outlook and the index keeps the same rows.
 * The same scenario with the emulator ignoring the preference (as Graph answers a client that does
 * not send it) loses the changes made after the move and replaces the moved rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicrosoftConfig } from '../../main/auth/providerConfig.ts';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { applyThreadAction } from '../../main/mail/threadActions.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import { emulatorControl, indexAsGraphSnapshot, normalizeGraphSnapshot, runMailSync } from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'bob@contoso.test';

interface RemoteMessage {
  id: string;
  restId: string;
  conversationId: string;
  parentFolderId: string;
  isRead: boolean;
  flagStatus: string;
  categories: string[];
}

/** An emulator and an engine with the Outlook account connected and fully synced. */
function outlookAccount(options: { ignoreImmutableIdPreference: boolean }) {
  const dir = makeTempDir();
  const state = {} as { emulator: RunningEmulator; engine: Engine; accountId: string };
  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(state.emulator)(path, init);
  beforeAll(async () => {
    state.emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: 60 } });
    if (options.ignoreImmutableIdPreference)
      await control('/microsoft/ids', { method: 'POST', body: { ignoreImmutableIdPreference: true } });
    const config: MicrosoftConfig = {
      clientId: '11111111-2222-3333-4444-555555555555',
      authority: `${state.emulator.baseUrl}/common`,
      knownAuthorities: [new URL(state.emulator.baseUrl).host],
      graphBaseUrl: `${state.emulator.baseUrl}/v1.0`,
    };
    state.engine = openEngine({ log: silentLog, dataDir: dir.path, providers: { google: null, microsoft: config } });
    state.accountId = (await state.engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser })).id;
    expect((await runMailSync(state.engine, state.accountId, 'full'))?.error).toBeNull();
  }, 60_000);
  afterAll(async () => {
    await state.engine?.close();
    await state.emulator?.stop();
    dir.remove();
  });

  const remoteMessages = async () =>
    (
      (await control('/snapshot')) as { microsoft: { users: Array<{ upn: string; messages: RemoteMessage[] }> } }
    ).microsoft.users.find((u) => u.upn === USER)?.messages ?? [];
  const api = {
    state,
    control,
    sync: async () => (await runMailSync(state.engine, state.accountId))?.error ?? null,
    /** The message the index knows by this id, whichever kind of id the index holds. */
    remote: async (indexId: string) => (await remoteMessages()).find((m) => m.id === indexId || m.restId === indexId),
    /** The mailbox in the index's terms: by the id kind the index holds. */
    remoteAsIndex: async (kind: 'id' | 'restId') =>
      normalizeGraphSnapshot((await remoteMessages()).map((m) => ({ ...m, id: m[kind] }))),
    index: () => indexAsGraphSnapshot(state.engine.db, state.accountId),
    folder: (role: string) =>
      state.engine.db
        .prepare('SELECT id, remote_id FROM labels WHERE account_id = ? AND role = ?')
        .get(state.accountId, role) as { id: number; remote_id: string },
    /** Unread, unstarred one-message threads in the Inbox: their thread id, message row and the message's remote id. */
    inboxSingles: () =>
      state.engine.db
        .prepare(
          `SELECT t.id AS thread, t.remote_id AS conversation, m.id AS row, m.remote_id AS remoteId
             FROM threads t JOIN messages m ON m.thread_id = t.id
            JOIN message_labels ml ON ml.message_id = m.id JOIN labels l ON l.id = ml.label_id
            WHERE t.account_id = ? AND l.role = 'inbox' AND m.is_unread = 1 AND m.is_starred = 0
              AND (SELECT count(*) FROM messages x WHERE x.thread_id = t.id) = 1
            ORDER BY t.id LIMIT 2`,
        )
        .all(state.accountId) as Array<{ thread: number; conversation: string; row: number; remoteId: string }>,
    rowOf: (thread: number) =>
      state.engine.db.prepare('SELECT id AS row, remote_id AS remoteId FROM messages WHERE thread_id = ?').get(thread) as {
        row: number;
        remoteId: string;
      },
  };
  return {
    ...api,
    /** In Outpost: an unread Inbox message moved to the Archive, then marked read and flagged; then a sync. */
    async moveThenReadAndFlagInOutpost() {
      const picked = api.inboxSingles()[0]!;
      const archive = api.folder('archive');
      applyThreadAction(state.engine.db, picked.thread, 'move_to', archive.id);
      applyThreadAction(state.engine.db, picked.thread, 'mark_read');
      applyThreadAction(state.engine.db, picked.thread, 'star');
      expect(await api.sync()).toBeNull();
      return { picked, archive };
    },
    /** A flag waits in Outpost while another client moves the message to the Archive; then a sync. */
    async flagWhileAnotherClientMoves() {
      const picked = api.inboxSingles()[0]!;
      applyThreadAction(state.engine.db, picked.thread, 'star');
      await control(`/microsoft/messages/${picked.remoteId}/move`, { method: 'POST', body: { folder: 'archive' } });
      expect(await api.sync()).toBeNull();
      return { picked, archive: api.folder('archive') };
    },
  };
}

describe('Outlook with immutable ids (Outpost asks for them on every Graph request)', () => {
  const t = outlookAccount({ ignoreImmutableIdPreference: false });

  it('a move in Outpost, then a read flip and a flag on the moved message, all reach Outlook', async () => {
    const { picked, archive } = await t.moveThenReadAndFlagInOutpost();
    expect(await t.remote(picked.remoteId)).toMatchObject({
      id: picked.remoteId,
      parentFolderId: archive.remote_id,
      isRead: true,
      flagStatus: 'flagged',
    });
    expect(t.rowOf(picked.thread)).toEqual({ row: picked.row, remoteId: picked.remoteId });
    expect(t.index()).toEqual(await t.remoteAsIndex('id'));
  });

  it('a move by another client while a flag waits in Outpost: the flag reaches Outlook and the row is kept', async () => {
    const { picked, archive } = await t.flagWhileAnotherClientMoves();
    expect(await t.remote(picked.remoteId)).toMatchObject({ parentFolderId: archive.remote_id, flagStatus: 'flagged' });
    expect(t.rowOf(picked.thread)).toEqual({ row: picked.row, remoteId: picked.remoteId });
    expect(t.index()).toEqual(await t.remoteAsIndex('id'));
  });

  it('every Graph request Outpost made (connect, syncs, pushes) asked for immutable ids', async () => {
    const ids = (await t.control('/microsoft/ids')) as {
      requests: number;
      withoutImmutableId: number;
      withoutImmutableIdPaths: string[];
    };
    expect(ids.requests).toBeGreaterThan(10);
    expect(ids.withoutImmutableIdPaths).toEqual([]);
    expect(ids.withoutImmutableId).toBe(0);
  });
});

describe('the same scenario when Graph ignores the preference (default ids, as a client without the header gets)', () => {
  const t = outlookAccount({ ignoreImmutableIdPreference: true });
  const byConversation = async (conversation: string) =>
    (await t.remoteAsIndex('restId')).find((m) => m.conversationId === conversation);

  it('the read flip and the flag after a move in Outpost go to the old id (404) and are lost, and the old id stays as a ghost', async () => {
    const { picked, archive } = await t.moveThenReadAndFlagInOutpost();
    // The old default id names nothing now; the message is in the Archive under a new one, unread and unflagged.
    expect(await t.remote(picked.remoteId)).toBeUndefined();
    const remote = await byConversation(picked.conversation);
    expect(remote).toMatchObject({ parentFolderId: archive.remote_id, isRead: false, flagged: false });
    // The index holds the message twice: the new id as Outlook has it, and the old one as Outpost left it.
    const indexed = t.index().filter((m) => m.conversationId === picked.conversation);
    expect(indexed.map((m) => m.id).sort()).toEqual([picked.remoteId, remote!.id].sort());
    expect(indexed.find((m) => m.id === picked.remoteId)).toMatchObject({ isRead: true, flagged: true });
    expect(t.index()).not.toEqual(await t.remoteAsIndex('restId'));
  });

  it('a move by another client while a flag waits: the flag is lost and the row is replaced', async () => {
    const { picked, archive } = await t.flagWhileAnotherClientMoves();
    expect(await byConversation(picked.conversation)).toMatchObject({
      parentFolderId: archive.remote_id,
      flagged: false,
    });
    expect(t.rowOf(picked.thread).row).not.toBe(picked.row);
    // Outpost still asked on every request: it is the answers that differ.
    expect(((await t.control('/microsoft/ids')) as { withoutImmutableId: number }).withoutImmutableId).toBe(0);
  });
});
