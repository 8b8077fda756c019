/**
 * Outpost's incremental Gmail sync against the history records of the methods another client (Gmail's web
 * UI, a script) uses that Outpost does not call itself yet: drafts created, replaced, sent and deleted,
 * messages.batchDelete, threads.untrash and threads.delete, a user label renamed and deleted. After each
 * round the index equals the emulator's mailbox exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/core/engine.ts';
import { gmailFor, signIn } from '../emulator/google/harness.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import {
  emulatorControl,
  type GmailSnapshotMessage,
  indexAsGmailSnapshot,
  normalizeSnapshot,
  openGoogleEngine,
  runMailSync,
} from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';

function raw(headers: string, body = 'Text.'): string {
  return Buffer.from(`${headers}Content-Type: text/plain\r\n\r\n${body}\r\n`).toString('base64url');
}

describe("Outpost's Gmail sync follows drafts, batchDelete, threads untrash/delete and label edits made elsewhere", () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;
  let other: ReturnType<typeof gmailFor>;

  const remote = async (): Promise<GmailSnapshotMessage[]> => {
    const snapshot = (await emulatorControl(emulator)('/snapshot')) as {
      google: Record<string, { messages: GmailSnapshotMessage[] }>;
    };
    return normalizeSnapshot(snapshot.google[USER]?.messages ?? []);
  };
  const syncAndCompare = async () => {
    const job = await runMailSync(engine, accountId);
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(indexAsGmailSnapshot(engine.db, accountId)).toEqual(await remote());
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 120 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    ({ engine, accountId } = await openGoogleEngine(dir.path, emulator));
    other = gmailFor(emulator, await signIn(emulator, ['https://mail.google.com/']));
    const first = await runMailSync(engine, accountId, 'full');
    expect(first).toMatchObject({ status: 'succeeded' });
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('drafts created, replaced, deleted and sent', async () => {
    const a = await other.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: raw('To: carol@example.com\r\nSubject: Draft A\r\n') } },
    });
    const b = await other.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: raw('To: carol@example.com\r\nSubject: Draft B\r\n') } },
    });
    await syncAndCompare();
    expect(indexAsGmailSnapshot(engine.db, accountId).find((m) => m.id === a.data.message?.id)?.labelIds).toEqual(['DRAFT']);

    await other.users.drafts.update({
      userId: 'me',
      id: a.data.id ?? '',
      requestBody: { message: { raw: raw('To: carol@example.com\r\nSubject: Draft A, again\r\n') } },
    });
    await other.users.drafts.delete({ userId: 'me', id: b.data.id ?? '' });
    await syncAndCompare();

    const sent = await other.users.drafts.send({ userId: 'me', requestBody: { id: a.data.id } });
    await syncAndCompare();
    expect(indexAsGmailSnapshot(engine.db, accountId).find((m) => m.id === sent.data.id)?.labelIds).toEqual(['SENT']);
  });

  it('messages.batchDelete, threads.untrash and threads.delete', async () => {
    const { data } = await other.users.messages.list({ userId: 'me', maxResults: 6 });
    const ids = (data.messages ?? []).map((m) => m.id ?? '');
    const threads = (data.messages ?? []).map((m) => m.threadId ?? '');
    await other.users.messages.batchDelete({ userId: 'me', requestBody: { ids: ids.slice(0, 2) } });
    await other.users.threads.trash({ userId: 'me', id: threads[2] ?? '' });
    await syncAndCompare();
    await other.users.threads.untrash({ userId: 'me', id: threads[2] ?? '' });
    await other.users.threads.delete({ userId: 'me', id: threads[3] ?? '' });
    await syncAndCompare();
  });

  it('a label renamed (PUT and PATCH) and deleted', async () => {
    const { data: label } = await other.users.labels.create({ userId: 'me', requestBody: { name: 'Elsewhere' } });
    const { data } = await other.users.messages.list({ userId: 'me', maxResults: 3 });
    const ids = (data.messages ?? []).map((m) => m.id ?? '');
    await other.users.messages.batchModify({ userId: 'me', requestBody: { ids, addLabelIds: [label.id ?? ''] } });
    await other.users.labels.update({ userId: 'me', id: label.id ?? '', requestBody: { id: label.id, name: 'Elsewhere 2' } });
    await syncAndCompare();
    const nameOf = () =>
      engine.db.prepare('SELECT name FROM labels WHERE account_id = ? AND remote_id = ?').pluck().get(accountId, label.id);
    expect(nameOf()).toBe('Elsewhere 2');
    await other.users.labels.patch({ userId: 'me', id: label.id ?? '', requestBody: { name: 'Elsewhere 3' } });
    await other.users.labels.delete({ userId: 'me', id: label.id ?? '' });
    await syncAndCompare();
    expect(nameOf()).toBeUndefined();
    for (const id of ids) {
      expect(indexAsGmailSnapshot(engine.db, accountId).find((m) => m.id === id)?.labelIds).not.toContain(label.id);
    }
  });
});
