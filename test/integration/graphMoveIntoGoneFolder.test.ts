import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { applyThreadAction } from '../../main/mail/threadActions.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser, signIn } from '../emulator/microsoft/testAuth.ts';
import { indexAsGraphSnapshot, microsoftConfigFor, remoteGraphSnapshot, runMailSync } from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'bob@contoso.test';

/**
 * Found by the mail property test (seed 424242, Outlook round 278): the user moves a
 * conversation into a folder that another client deletes before the move is pushed.
 * Graph answers the move 404 (the destination is gone), which Outpost took for "the
 * message is gone": it dropped the move and kept the message in the deleted folder,
 * so the sync that noticed the folder gone deleted the message from the index while
 * Outlook still had it where it was.
 */
describe('a move into an Outlook folder another client deleted meanwhile', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;
  let token: string;

  const graph = async (path: string, method = 'GET', body?: unknown) => {
    const response = await fetch(`${emulator.baseUrl}/v1.0/me${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
    return response.status === 204 ? { id: '' } : ((await response.json()) as { id: string });
  };

  beforeAll(async () => {
    emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: 20 } });
    engine = openEngine({
      log: silentLog,
      dataDir: dir.path,
      providers: { google: null, microsoft: microsoftConfigFor(emulator.baseUrl) },
    });
    accountId = (await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser })).id;
    token = await signIn(emulator.baseUrl);
    expect(await runMailSync(engine, accountId)).toMatchObject({ status: 'succeeded' });
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('leaves the message where Outlook has it, in the index too', async () => {
    const folder = await graph('/mailFolders', 'POST', { displayName: 'Soon gone' });
    expect(await runMailSync(engine, accountId)).toMatchObject({ status: 'succeeded' });
    const thread = engine.db
      .prepare(
        `SELECT t.id, t.remote_id FROM threads t JOIN messages m ON m.thread_id = t.id
          JOIN message_labels ml ON ml.message_id = m.id JOIN labels l ON l.id = ml.label_id
          WHERE t.account_id = ? AND l.role = 'inbox' AND (SELECT count(*) FROM messages x WHERE x.thread_id = t.id) = 1
          ORDER BY t.id LIMIT 1`,
      )
      .get(accountId) as { id: number; remote_id: string };
    const target = engine.db
      .prepare('SELECT id FROM labels WHERE account_id = ? AND remote_id = ?')
      .pluck()
      .get(accountId, folder.id) as number;
    applyThreadAction(engine.db, thread.id, 'move_to', target);
    // Deleted, it goes into Deleted Items; deleted from there, it is gone.
    await graph(`/mailFolders/${folder.id}`, 'DELETE');
    await graph(`/mailFolders/${folder.id}`, 'DELETE');

    const job = await runMailSync(engine, accountId);
    expect(job?.error).toBeNull();
    const remote = await remoteGraphSnapshot(emulator, USER);
    expect(remote.some((m) => m.conversationId === thread.remote_id)).toBe(true);
    expect(indexAsGraphSnapshot(engine.db, accountId)).toEqual(remote);
  });
});
