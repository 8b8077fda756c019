/**
 * Outpost's Gmail sync and send against both base64url paddings the emulator can answer with
 * (`POST /_control/google/encoding`): Gmail pads `raw` (the default); unpadded is what the emulator
 * sent before. Every stored message must be byte-for-byte the emulator's, and a send must arrive whole.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/core/engine.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { emulatorControl, gmailSentMail, openGoogleEngine, runMailSync } from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.each([
  { padding: true, name: 'padded (as Gmail)' },
  { padding: false, name: 'unpadded' },
])('Gmail sync and send with raw and data $name', ({ padding }) => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;
  let token: string;
  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);

  /** Every message's raw bytes as the emulator serves them (format=raw), by sha256. */
  const remoteRaw = async (): Promise<string[]> => {
    const list = (await (
      await fetch(`${emulator.baseUrl}/gmail/v1/users/me/messages?maxResults=500&includeSpamTrash=true`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { messages: Array<{ id: string }> };
    const hashes: string[] = [];
    for (const { id } of list.messages) {
      const res = await fetch(`${emulator.baseUrl}/gmail/v1/users/me/messages/${id}?format=raw`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const { raw } = (await res.json()) as { raw: string };
      expect(raw.includes('=')).toBe(padding && raw.length % 4 === 0 && raw.endsWith('='));
      hashes.push(sha256(Buffer.from(raw, 'base64url')));
    }
    return hashes.sort();
  };
  const localRaw = () =>
    (engine.db.prepare('SELECT raw_sha256 FROM messages WHERE account_id = ?').pluck().all(accountId) as string[]).sort();

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 60 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    await control('/google/encoding', { method: 'POST', body: { padding } });
    token = (
      (await control('/google/tokens', { method: 'POST', body: { email: USER, scopes: ['https://mail.google.com/'] } })) as {
        access_token: string;
      }
    ).access_token;
    ({ engine, accountId } = await openGoogleEngine(dir.path, emulator));
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('a full sync stores every message byte for byte', async () => {
    expect(await runMailSync(engine, accountId, 'full')).toMatchObject({ status: 'succeeded' });
    const remote = await remoteRaw();
    expect(remote.length).toBeGreaterThanOrEqual(60);
    expect(localRaw()).toEqual(remote);
  });

  it('an incremental sync stores new messages of every length mod 3 byte for byte', async () => {
    for (const tail of ['', 'x', 'xy']) {
      const mime = `From: Dan <dan@example.test>\r\nTo: ${USER}\r\nSubject: tail ${tail.length}\r\nMessage-ID: <tail-${tail.length}-${padding}@example.test>\r\n\r\nHello${tail}\r\n`;
      await control(`/google/users/${USER}/messages`, {
        method: 'POST',
        body: { raw: Buffer.from(mime).toString('base64url'), encoding: 'base64url' },
      });
    }
    expect(await runMailSync(engine, accountId)).toMatchObject({ status: 'succeeded' });
    expect(localRaw()).toEqual(await remoteRaw());
  });

  it('a send arrives whole, and the sent copy synced back is the same bytes', async () => {
    const result = await engine.send.submit(
      { to: ['jane@example.test'], subject: `Padding ${padding} ✓`, text: 'Hello Jane, one two three' },
      { idempotencyKey: null },
    );
    expect(result).toMatchObject({ status: 'sent' });
    const [sent] = await gmailSentMail(emulator, USER);
    expect(sent?.raw.toString('utf8')).toContain('Hello Jane, one two three');
    expect(await runMailSync(engine, accountId)).toMatchObject({ status: 'succeeded' });
    expect(localRaw()).toContain(sha256(sent?.raw ?? Buffer.alloc(0)));
  });
});
