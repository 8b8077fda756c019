import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { control, gmailFor, signIn, start } from './harness.ts';

describe('emulator state, reset and clock', () => {
  it('--state keeps Gmail messages and labels across a restart', async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'emu-state-')), 'state.json');
    const first = await start({ seed: { kind: 'empty' }, statePath });
    const added = await control(first, 'POST', '/google/users/alice@gmail.test/messages', {
      raw: 'From: a@example.com\r\nSubject: kept\r\n\r\nbody\r\n',
      labelIds: ['INBOX'],
    });
    await control(first, 'POST', '/google/users/alice@gmail.test/labels', { name: 'Kept' });
    await first.stop();
    const second = await start({ seed: { kind: 'empty' }, statePath });
    try {
      const gmail = gmailFor(second, await signIn(second, ['https://mail.google.com/']));
      const got = await gmail.users.messages.get({
        userId: 'me',
        id: added.id,
        format: 'metadata',
        metadataHeaders: ['Subject'],
      });
      expect(got.data.payload?.headers).toEqual([{ name: 'Subject', value: 'kept' }]);
      const labels = await gmail.users.labels.list({ userId: 'me' });
      expect(labels.data.labels?.some((l) => l.name === 'Kept')).toBe(true);
      const profile = await gmail.users.getProfile({ userId: 'me' });
      expect(Number(profile.data.historyId)).toBeGreaterThanOrEqual(Number(added.historyId));
    } finally {
      await second.stop();
    }
  });

  it('reset re-seeds; the clock moves token expiry; unknown Google paths get Google 404s', async () => {
    const emu = await start({ seed: { kind: 'empty' } });
    try {
      await control(emu, 'POST', '/google/users/alice@gmail.test/messages', { raw: 'Subject: x\r\n\r\ny\r\n' });
      expect((await control(emu, 'GET', '/snapshot')).google['alice@gmail.test'].messages).toHaveLength(1);
      await control(emu, 'POST', '/reset');
      expect((await control(emu, 'GET', '/snapshot')).google['alice@gmail.test'].messages).toHaveLength(0);
      const { access_token } = await control(emu, 'POST', '/google/tokens', {
        email: 'alice@gmail.test',
        scopes: ['https://mail.google.com/'],
      });
      const headers = { authorization: `Bearer ${access_token}` };
      expect((await fetch(`${emu.baseUrl}/gmail/v1/users/me/profile`, { headers })).status).toBe(200);
      await control(emu, 'POST', '/clock', { advanceMs: 3600_000 });
      expect((await fetch(`${emu.baseUrl}/gmail/v1/users/me/profile`, { headers })).status).toBe(401);
      const missing = await fetch(`${emu.baseUrl}/gmail/v1/users/me/nope/deeper`);
      expect(missing.status).toBe(404);
      expect((await missing.json()) as unknown).toMatchObject({
        error: { code: 404, status: 'NOT_FOUND', errors: [{ reason: 'notFound' }] },
      });
      expect((await control(emu, 'GET', '/counters')).requests['gmail.users.getProfile']).toBe(2);
    } finally {
      await emu.stop();
    }
  });
});
