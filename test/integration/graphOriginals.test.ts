import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import { emulatorControl, microsoftConfigFor, runMailSync } from '../support/emulatorAccounts.ts';
import { mimeWithAttachments } from '../support/mimeFixtures.ts';
import { makeTempDir } from '../support/tempDir.ts';
import { buildTestApi } from '../support/testApi.ts';

const USER = 'bob@contoso.test';

describe('Outlook originals: fetched from Graph ($value) on first request, kept like Gmail raw (Graph emulator)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;

  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);
  /** $value requests since the last call (the counters are cleared each time). */
  const valueRequests = async () => {
    const { requests } = (await control('/counters')) as { requests: Record<string, number> };
    await control('/counters', { method: 'DELETE' });
    return requests['graph.messages.value'] ?? 0;
  };
  const row = (remoteId: string) =>
    engine.db.prepare('SELECT id, raw_sha256 FROM messages WHERE account_id = ? AND remote_id = ?').get(accountId, remoteId) as {
      id: number;
      raw_sha256: string | null;
    };
  const addMessage = async (subject: string, where: { folder?: string; isDraft?: boolean } = {}) => {
    const raw = mimeWithAttachments({
      from: 'dan@example.test',
      to: USER,
      subject,
      messageId: `${subject.replace(/\W+/g, '-')}@example.test`,
      text: `The text of ${subject}.`,
      files: [['note.txt', Buffer.from('a file\n')]],
    });
    const id = String((await control('/microsoft/messages', { method: 'POST', body: { raw, ...where } })).id);
    return { id, raw };
  };

  beforeAll(async () => {
    emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: 5 } });
    engine = openEngine({
      log: silentLog,
      dataDir: dir.path,
      providers: { google: null, microsoft: microsoftConfigFor(emulator.baseUrl) },
    });
    accountId = (await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser })).id;
    expect((await runMailSync(engine, accountId))?.error).toBeNull();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('syncs without asking for any original, fetches one on first request byte for byte, then reads it from the index', async () => {
    const message = await addMessage('Lazy original');
    await valueRequests();
    expect((await runMailSync(engine, accountId))?.error).toBeNull();
    expect(await valueRequests()).toBe(0);
    const { id } = row(message.id);
    expect(row(message.id).raw_sha256).toBeNull();

    const bytes = await engine.originals.read(id);
    expect(bytes.toString('latin1')).toBe(message.raw);
    expect(await valueRequests()).toBe(1);
    expect(row(message.id).raw_sha256).not.toBeNull();
    // Kept: asked again (and after another sync), it costs no request.
    expect((await runMailSync(engine, accountId))?.error).toBeNull();
    expect((await engine.originals.read(id)).equals(bytes)).toBe(true);
    expect(await valueRequests()).toBe(0);
  });

  it('serves it through GET /v1/email/messages/{id}/raw as message/rfc822', async () => {
    const message = await addMessage('Through the API');
    expect((await runMailSync(engine, accountId))?.error).toBeNull();
    const { app, token } = await buildTestApi(engine.db, dir.path, { originals: engine.originals });
    try {
      const response = await app.inject({
        method: 'GET',
        url: `/v1/email/messages/msg_${row(message.id).id}/raw`,
        headers: { authorization: `Bearer ${token}`, host: '127.0.0.1:7766' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('message/rfc822');
      expect(response.rawPayload.toString('latin1')).toBe(message.raw);
    } finally {
      await app.close();
    }
  });

  it('unreachable: says the provider could not be reached (network_error), keeps nothing, and fetches it once reachable', async () => {
    const message = await addMessage('Fetched later');
    expect((await runMailSync(engine, accountId))?.error).toBeNull();
    const { id } = row(message.id);
    await control('/faults', {
      method: 'POST',
      body: { fault: { endpoint: 'graph.messages.value', kind: 'reset', count: 10 } },
    });
    await expect(engine.originals.read(id)).rejects.toMatchObject({ code: 'network_error' });
    expect(row(message.id).raw_sha256).toBeNull();
    await control('/faults', { method: 'POST', body: { faults: [] } });
    expect((await engine.originals.read(id)).toString('latin1')).toBe(message.raw);
  });

  it('a message gone at Outlook answers raw_not_available; a draft is fetched but not kept (it changes)', async () => {
    const gone = await addMessage('Gone meanwhile');
    const draft = await addMessage('A draft', { folder: 'drafts', isDraft: true });
    expect((await runMailSync(engine, accountId))?.error).toBeNull();
    await control(`/microsoft/messages/${gone.id}`, { method: 'DELETE' });
    await expect(engine.originals.read(row(gone.id).id)).rejects.toMatchObject({ code: 'raw_not_available' });
    const draftRow = engine.db
      .prepare('SELECT id, is_draft FROM messages WHERE account_id = ? AND remote_id = ?')
      .get(accountId, draft.id) as { id: number; is_draft: number };
    expect(draftRow.is_draft).toBe(1);
    expect((await engine.originals.read(draftRow.id)).toString('latin1')).toBe(draft.raw);
    expect(row(draft.id).raw_sha256).toBeNull();
  });
});
