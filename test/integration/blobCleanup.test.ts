import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/core/engine.ts';
import { reclaimableBlobs } from '../../main/db/queries/blobReferences.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { emulatorControl, openGoogleEngine, runMailSync } from '../support/emulatorAccounts.ts';
import { mimeWithAttachments } from '../support/mimeFixtures.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';
const SHARED = Buffer.from('the same minutes, attached to two messages\n'.repeat(4));
const OWN = Buffer.from('a file only the first message carries\n'.repeat(4));

describe('disk given back after a sync (Gmail emulator): blobs of deleted messages go, shared ones stay', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;
  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);
  const blobsOf = (rfc822Id: string) => {
    const message = engine.db
      .prepare('SELECT id, raw_sha256 FROM messages WHERE account_id = ? AND rfc822_message_id = ?')
      .get(accountId, rfc822Id) as { id: number; raw_sha256: string };
    const attachments = engine.db
      .prepare('SELECT blob_sha256 FROM attachments WHERE message_id = ? ORDER BY part_index')
      .pluck()
      .all(message.id) as string[];
    return { raw: message.raw_sha256, attachments };
  };
  const stored = (sha256: string) => ({
    file: existsSync(engine.blobs.pathOf(sha256)),
    row: engine.db.prepare('SELECT count(*) FROM blobs WHERE sha256 = ?').pluck().get(sha256) === 1,
  });

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 5 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    ({ engine, accountId } = await openGoogleEngine(dir.path, emulator));
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('a message deleted at Gmail loses its raw original and its own attachment (rows and files) after the next sync', async () => {
    const add = async (id: string, files: Array<[string, Buffer]>) =>
      (await control(`/google/users/${USER}/messages`, {
        method: 'POST',
        body: {
          raw: Buffer.from(
            mimeWithAttachments({
              from: 'Dan <dan@example.test>',
              to: USER,
              subject: `Minutes ${id}`,
              messageId: `${id}@example.test`,
              text: 'See attached.',
              files,
            }),
          ).toString('base64url'),
          labelIds: ['INBOX'],
          encoding: 'base64url',
        },
      })) as { id: string };
    const first = await add('first', [
      ['own.txt', OWN],
      ['minutes.txt', SHARED],
    ]);
    await add('second', [['minutes.txt', SHARED]]);
    expect(await runMailSync(engine, accountId)).toMatchObject({ status: 'succeeded' });
    const a = blobsOf('first@example.test');
    const b = blobsOf('second@example.test');
    expect(a.attachments[1]).toBe(b.attachments[0]);
    expect(engine.blobs.read(a.attachments[0] as string)).toEqual(OWN);

    await control(`/google/users/${USER}/messages/${first.id}`, { method: 'DELETE' });
    expect(await runMailSync(engine, accountId)).toMatchObject({ status: 'succeeded' });
    expect([stored(a.raw), stored(a.attachments[0] as string)]).toEqual([
      { file: false, row: false },
      { file: false, row: false },
    ]);
    expect([stored(b.raw), stored(b.attachments[0] as string)]).toEqual([
      { file: true, row: true },
      { file: true, row: true },
    ]);
    expect(reclaimableBlobs(engine.db)).toEqual({ blobs: 0, bytes: 0 });
  });
});
