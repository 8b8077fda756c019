import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicrosoftConfig } from '../../main/auth/providerConfig.ts';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { getAccount } from '../../main/db/queries/accounts.ts';
import { applyThreadAction } from '../../main/mail/threadActions.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import {
  emulatorControl,
  type GraphSnapshotMessage,
  indexAsGraphSnapshot,
  normalizeGraphSnapshot,
  runMailSync,
} from '../support/emulatorAccounts.ts';
import { listMessageRaw, subjectsFound } from '../support/listMail.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'bob@contoso.test';

describe('Outlook sync against the emulator (msal-node loopback flow, Graph delta over fetch)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;

  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);
  const remote = async () => {
    const snapshot = (await control('/snapshot')) as {
      microsoft: { users: Array<{ upn: string; messages: GraphSnapshotMessage[] }> };
    };
    return normalizeGraphSnapshot(snapshot.microsoft.users.find((u) => u.upn === USER)?.messages ?? []);
  };
  const sync = (mode: 'full' | 'incremental' = 'incremental') => runMailSync(engine, accountId, mode);

  beforeAll(async () => {
    emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: 300 } });
    const config: MicrosoftConfig = {
      clientId: '11111111-2222-3333-4444-555555555555',
      authority: `${emulator.baseUrl}/common`,
      knownAuthorities: [new URL(emulator.baseUrl).host],
      graphBaseUrl: `${emulator.baseUrl}/v1.0`,
    };
    engine = openEngine({ log: silentLog, dataDir: dir.path, providers: { google: null, microsoft: config } });
    const account = await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
    accountId = account.id;
    expect(account.email).toBe(USER);
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('full-syncs every folder so the index equals the mailbox', async () => {
    const job = await sync();
    expect(job?.error).toBeNull();
    expect(indexAsGraphSnapshot(engine.db, accountId)).toEqual(await remote());
  });

  it('converges after new mail, replies, moves, read/flag/category changes and deletes', async () => {
    const [a, b, c, d] = await remote();
    await control('/microsoft/messages', { method: 'POST', body: { subject: 'Fresh', from: 'dan@example.test', body: 'Hello' } });
    await control(`/microsoft/messages/${a?.id}/reply`, { method: 'POST', body: { from: 'carol@example.test', body: 'Reply' } });
    await control(`/microsoft/messages/${b?.id}`, {
      method: 'PATCH',
      body: { isRead: !b?.isRead, flagStatus: 'flagged', categories: ['Red category'] },
    });
    await control(`/microsoft/messages/${c?.id}/move`, { method: 'POST', body: { folder: 'archive' } });
    await control(`/microsoft/messages/${d?.id}`, { method: 'DELETE' });
    const job = await sync();
    expect(job?.error).toBeNull();
    expect(indexAsGraphSnapshot(engine.db, accountId)).toEqual(await remote());
  });

  it('keeps List-Id, List-Post, Delivered-To and Focused/Other from Graph, and follows a move to Focused through delta', async () => {
    const subjectsOf = (q: string) => subjectsFound(engine.db, accountId, q);
    const raw = listMessageRaw({
      deliveredTo: ['bob@contoso.test', 'bob+lists@contoso.test'],
      listId: 'Outpost developers <dev.lists.outpost.test>',
      subject: 'Nightly build broke',
      body: 'The nightly build broke on the zorbly parser.',
    });
    const posted = (await control('/microsoft/messages', { method: 'POST', body: { raw } })) as { id: string };
    expect((await sync())?.error).toBeNull();
    expect(subjectsOf('list:dev@lists.outpost.test')).toEqual(['Nightly build broke']);
    expect(subjectsOf('list:dev.lists.outpost.test')).toEqual(['Nightly build broke']);
    expect(subjectsOf('deliveredto:bob+lists@contoso.test')).toEqual(['Nightly build broke']);
    expect(subjectsOf('deliveredto:me zorbly')).toEqual(['Nightly build broke']);
    // Exchange sorts list mail into Other; another client moves it to Focused, and delta brings the change.
    expect(subjectsOf('category:other zorbly')).toEqual(['Nightly build broke']);
    await control(`/microsoft/messages/${posted.id}`, { method: 'PATCH', body: { inferenceClassification: 'focused' } });
    expect((await sync())?.error).toBeNull();
    expect(subjectsOf('category:focused zorbly')).toEqual(['Nightly build broke']);
    expect(subjectsOf('category:other zorbly')).toEqual([]);

    // An index from before: no lists or classification, delta cursors made without those fields. The next sync walks again.
    engine.db.exec(`DELETE FROM message_header_addresses; UPDATE messages SET inference_classification = NULL;
      UPDATE sync_cursors SET cursor = json_remove(cursor, '$.select') WHERE kind = 'graph.delta'`);
    expect(subjectsOf('list:dev.lists.outpost.test')).toEqual([]);
    expect((await sync())?.error).toBeNull();
    expect(subjectsOf('list:dev.lists.outpost.test')).toEqual(['Nightly build broke']);
    expect(subjectsOf('category:focused zorbly')).toEqual(['Nightly build broke']);
    expect(indexAsGraphSnapshot(engine.db, accountId)).toEqual(await remote());
  });

  it('pushes categories added and removed and moves to folders made in Outpost, and the index still equals the mailbox', async () => {
    const label = (where: string, ...args: unknown[]) =>
      engine.db
        .prepare(`SELECT id, name, remote_id FROM labels WHERE account_id = ? AND ${where} LIMIT 1`)
        .get(accountId, ...args) as {
        id: number;
        name: string;
        remote_id: string;
      };
    const category = label(`kind = 'category'`);
    const archive = label(`role = 'archive'`);
    const inInbox = engine.db
      .prepare(
        `SELECT DISTINCT t.id, t.remote_id FROM threads t JOIN messages m ON m.thread_id = t.id
          JOIN message_labels ml ON ml.message_id = m.id JOIN labels l ON l.id = ml.label_id
          WHERE t.account_id = ? AND l.role = 'inbox' AND (SELECT count(*) FROM messages x WHERE x.thread_id = t.id) = 1
          ORDER BY t.id LIMIT 2`,
      )
      .all(accountId) as Array<{ id: number; remote_id: string }>;
    const [tagged, moved] = inInbox;
    applyThreadAction(engine.db, tagged!.id, 'add_label', category.id);
    applyThreadAction(engine.db, moved!.id, 'add_label', category.id);
    applyThreadAction(engine.db, moved!.id, 'remove_label', category.id);
    applyThreadAction(engine.db, moved!.id, 'move_to', archive.id);

    const job = await sync();
    expect(job?.error).toBeNull();
    const after = await remote();
    const message = (conversation: string) => after.find((m) => m.conversationId === conversation);
    expect(message(tagged!.remote_id)?.categories).toContain(category.name);
    expect(message(moved!.remote_id)?.categories).not.toContain(category.name);
    expect(message(moved!.remote_id)?.parentFolderId).toBe(archive.remote_id);
    expect(indexAsGraphSnapshot(engine.db, accountId)).toEqual(after);
  });

  it('reconciles after every delta token expires (410)', async () => {
    const [victim] = await remote();
    await control(`/microsoft/messages/${victim?.id}`, { method: 'DELETE' });
    await control('/microsoft/invalidate-delta', { method: 'POST', body: {} });
    const job = await sync();
    expect(job?.error).toBeNull();
    expect(indexAsGraphSnapshot(engine.db, accountId)).toEqual(await remote());
  });

  it('marks the account needs_reauth when its refresh token is revoked', async () => {
    await control('/microsoft/revoke', { method: 'POST', body: {} });
    await control('/clock', { method: 'POST', body: { advanceMs: 2 * 3600 * 1000 } });
    const job = await sync();
    expect(job).toMatchObject({ status: 'failed', error: { code: 'needs_reauth' } });
    expect(getAccount(engine.db, accountId)?.status).toBe('needs_reauth');
  });
});
