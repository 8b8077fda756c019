import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { getAccount } from '../../main/db/queries/accounts.ts';
import { applyThreadAction } from '../../main/mail/threadActions.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import {
  autoConsentBrowser,
  emulatorControl,
  type GmailSnapshotMessage,
  googleConfigFor,
  indexAsGmailSnapshot,
  normalizeSnapshot,
  runMailSync,
} from '../support/emulatorAccounts.ts';
import { listMessageRaw, subjectsFound } from '../support/listMail.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';

describe('Gmail sync against the emulator (googleapis, google-auth-library, real loopback flow)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;

  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);
  const remote = async (): Promise<GmailSnapshotMessage[]> => {
    const snapshot = (await control('/snapshot')) as { google: Record<string, { messages: GmailSnapshotMessage[] }> };
    return normalizeSnapshot(snapshot.google[USER]?.messages ?? []);
  };
  const sync = (mode: 'full' | 'incremental' = 'incremental') => runMailSync(engine, accountId, mode);

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 600 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    engine = openEngine({
      log: silentLog,
      dataDir: dir.path,
      providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
      gmailQuota: { unitsPerSecond: 1_000_000 },
    });
    const account = await engine.providers.forConnect('google').connect({
      openBrowser: autoConsentBrowser,
    });
    accountId = account.id;
    expect(account.email).toBe(USER);
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('full-syncs the mailbox so the index equals the emulator exactly', async () => {
    const job = await sync();
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(job?.counts.messagesProcessed).toBeGreaterThanOrEqual(600);
    expect(indexAsGmailSnapshot(engine.db, accountId)).toEqual(await remote());
  });

  it('keeps List-Id, List-Post and Delivered-To from the raw message; category:focused|other find nothing on Gmail', async () => {
    const subjectsOf = (q: string) => subjectsFound(engine.db, accountId, q);
    const raw = listMessageRaw({
      deliveredTo: [USER, 'mailing list dev@lists.outpost.test'],
      listId: '<dev.lists.outpost.test>',
      subject: 'Release candidate',
      body: 'The quixotry release candidate is out.',
    });
    await control(`/google/users/${USER}/messages`, { method: 'POST', body: { raw } });
    expect((await sync())?.error).toBeNull();
    expect(subjectsOf('list:dev@lists.outpost.test')).toEqual(['Release candidate']);
    expect(subjectsOf('list:outpost.test quixotry')).toEqual(['Release candidate']);
    expect(subjectsOf('deliveredto:me quixotry')).toEqual(['Release candidate']);
    expect(subjectsOf('deliveredto:dev@lists.outpost.test')).toEqual(['Release candidate']);
    expect([subjectsOf('category:focused'), subjectsOf('category:other')]).toEqual([[], []]);
  });

  it('converges after adds, deletes, label moves, read flips and replies in existing threads', async () => {
    const before = await remote();
    const [a, b, c, d] = before;
    await control(`/google/users/${USER}/messages/${a?.id}/modify`, {
      method: 'POST',
      body: { removeLabelIds: ['INBOX'], addLabelIds: ['STARRED'] },
    });
    await control(`/google/users/${USER}/messages/${b?.id}/modify`, { method: 'POST', body: { addLabelIds: ['UNREAD'] } });
    await control(`/google/users/${USER}/messages/${c?.id}/modify`, { method: 'POST', body: { removeLabelIds: ['UNREAD'] } });
    await control(`/google/users/${USER}/messages/${d?.id}`, { method: 'DELETE' });
    await control(`/google/users/${USER}/threads/${b?.threadId}/reply`, {
      method: 'POST',
      body: { from: 'carol@example.test', body: 'A new reply' },
    });
    const raw = Buffer.from(
      'From: Dan <dan@example.test>\r\nTo: alice@gmail.test\r\nSubject: Fresh news\r\nMessage-ID: <fresh-1@example.test>\r\n\r\nHello',
    ).toString('base64url');
    await control(`/google/users/${USER}/messages`, {
      method: 'POST',
      body: { raw, labelIds: ['INBOX', 'UNREAD'], encoding: 'base64url' },
    });

    const job = await sync();
    expect(job).toMatchObject({ status: 'succeeded' });
    const after = await remote();
    expect(indexAsGmailSnapshot(engine.db, accountId)).toEqual(after);
    expect(after.find((m) => m.id === d?.id)).toBeUndefined();
    expect(after.filter((m) => m.threadId === b?.threadId).length).toBeGreaterThan(
      before.filter((m) => m.threadId === b?.threadId).length,
    );
  });

  it("pushes labels added, removed and moved to in Outpost, and the index still equals Gmail's", async () => {
    const label = engine.db
      .prepare(`SELECT id, remote_id FROM labels WHERE account_id = ? AND kind = 'user' ORDER BY id LIMIT 1`)
      .get(accountId) as { id: number; remote_id: string };
    const threads = engine.db
      .prepare(
        `SELECT DISTINCT m.thread_id AS id, t.remote_id FROM messages m JOIN threads t ON t.id = m.thread_id
          JOIN message_labels ml ON ml.message_id = m.id JOIN labels l ON l.id = ml.label_id
          WHERE m.account_id = ? AND l.role = 'inbox'
            AND m.thread_id NOT IN (SELECT m2.thread_id FROM messages m2 JOIN message_labels x ON x.message_id = m2.id WHERE x.label_id = ?)
          ORDER BY m.thread_id LIMIT 3`,
      )
      .all(accountId, label.id) as Array<{ id: number; remote_id: string }>;
    const [labelled, unlabelled, moved] = threads;
    applyThreadAction(engine.db, labelled!.id, 'add_label', label.id);
    applyThreadAction(engine.db, unlabelled!.id, 'add_label', label.id);
    applyThreadAction(engine.db, unlabelled!.id, 'remove_label', label.id);
    applyThreadAction(engine.db, moved!.id, 'move_to', label.id);

    const job = await sync();
    expect(job).toMatchObject({ status: 'succeeded' });
    const after = await remote();
    const labelsOf = (threadId: string) => after.filter((m) => m.threadId === threadId).map((m) => m.labelIds);
    for (const labels of labelsOf(labelled!.remote_id)) expect(labels).toContain(label.remote_id);
    for (const labels of labelsOf(unlabelled!.remote_id)) expect(labels).not.toContain(label.remote_id);
    for (const labels of labelsOf(moved!.remote_id)) {
      expect(labels).toContain(label.remote_id);
      expect(labels).not.toContain('INBOX');
    }
    expect(indexAsGmailSnapshot(engine.db, accountId)).toEqual(after);
  });

  it('falls back to a reconciling full sync when the history position is too old (404)', async () => {
    const [victim] = await remote();
    await control(`/google/users/${USER}/messages/${victim?.id}`, { method: 'DELETE' });
    await control(`/google/users/${USER}/history/expire`, { method: 'POST', body: {} });
    const job = await sync();
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(job?.counts.messagesDeleted).toBeGreaterThanOrEqual(1);
    expect(indexAsGmailSnapshot(engine.db, accountId)).toEqual(await remote());
  });

  it('an access token Google stops accepting before its expiry (401) is refreshed once and the sync carries on', async () => {
    const counters = async () => ((await control('/counters')) as { requests: Record<string, number> }).requests;
    await control('/google/expire-access-tokens', { method: 'POST', body: {} });
    const before = (await counters())['oauth2.token'] ?? 0;
    expect(await sync()).toMatchObject({ status: 'succeeded', error: null });
    expect((await counters())['oauth2.token'] ?? 0).toBe(before + 1);
    expect(indexAsGmailSnapshot(engine.db, accountId)).toEqual(await remote());
  });

  it('marks the account needs_reauth when its refresh token is revoked, without retrying forever', async () => {
    await control('/google/expire-access-tokens', { method: 'POST', body: {} });
    await control('/google/revoke', { method: 'POST', body: { email: USER } });
    const job = await sync();
    expect(job).toMatchObject({ status: 'failed', error: { code: 'needs_reauth' } });
    expect(getAccount(engine.db, accountId)?.status).toBe('needs_reauth');
  });
});
