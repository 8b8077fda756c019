import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logDir } from '../../../main/core/log.ts';
import type { Core } from '../../../main/core/startCore.ts';
import { type EmulatorCore, startEmulatorCore } from '../../support/emulatorCore.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/** Words no log line may carry: they are in the body of the message sent below. */
const BODY_TEXT = 'Periwinkle-ledger-7731 says the vault code is in the blue binder';

/**
 * A real core over the emulator, used as a script would (an API key, a send,
 * a sync) and made to fail with a 500; then every file of its log is read:
 * the failure is there, the secrets and the user's words are not.
 */
describe("the core's log over a working session", () => {
  const dir = makeTempDir();
  let started: EmulatorCore;
  let core: Core;
  let key: string;
  let session: string;
  let refreshToken: string;
  let failedRequestId: string;

  beforeAll(async () => {
    // No log given: the core writes its own, <data-dir>/logs, as `outpost serve` does.
    started = await startEmulatorCore(dir.path, { connect: 'google', messages: 50 });
    ({ core } = started);
    refreshToken =
      (JSON.parse(core.vault.get(started.accountId, 'google.tokens') ?? '{}') as { refresh_token?: string }).refresh_token ?? '';
    session = started.adminSession;
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
    dir.remove();
  });

  const api = (path: string, init: { method?: string; body?: unknown; credential: string }) =>
    fetch(`${core.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${init.credential}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  it('creates a key, sends, syncs and fails once', async () => {
    const created = await api('/v1/keys', {
      method: 'POST',
      body: { name: 'script', scopes: ['read:email', 'write:email'] },
      credential: session,
    });
    expect(created.status).toBe(201);
    key = ((await created.json()) as { data: { key: string } }).data.key;
    expect((await api('/v1/email/threads?label=inbox', { credential: key })).status).toBe(200);

    const sent = await api('/v1/email/send', {
      method: 'POST',
      body: { to: 'bob@example.test', subject: 'Binder', body_text: BODY_TEXT },
      credential: key,
    });
    expect(sent.status).toBe(200);
    expect((await api('/v1/email/sync', { method: 'POST', body: {}, credential: key })).status).toBe(200);
    await core.runner.idle();
    expect((await api(`/v1/email/search?q=${encodeURIComponent('periwinkle')}`, { credential: key })).status).toBe(200);

    // A row the API cannot read: its recipients are not JSON any more.
    const threadId = core.db.prepare('SELECT thread_id FROM messages ORDER BY id LIMIT 1').pluck().get() as number;
    core.db.prepare("UPDATE messages SET to_json = '{broken' WHERE thread_id = ?").run(threadId);
    const failed = await api(`/v1/email/threads/thr_${threadId}?from=${encodeURIComponent(BODY_TEXT)}`, { credential: key });
    expect(failed.status).toBe(500);
    failedRequestId = failed.headers.get('x-request-id') ?? '';
    expect(await failed.json()).toMatchObject({ code: 'internal_error', request_id: failedRequestId });
  });

  it('has the 500 in the log, and no token, key or message text', () => {
    const dirOfLogs = logDir(dir.path);
    const text = readdirSync(dirOfLogs)
      .map((file) => readFileSync(join(dirOfLogs, file), 'utf8'))
      .join('');
    expect(refreshToken.length).toBeGreaterThan(10);
    expect(text).not.toContain(refreshToken);
    expect(text).not.toContain(key);
    expect(text).not.toMatch(/wbk_[A-Za-z0-9_-]{20}/);
    expect(text).not.toContain(session);
    expect(text).not.toContain('Periwinkle');
    expect(text).not.toContain('periwinkle');
    const failures = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.request_id === failedRequestId && line.level === 50);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      component: 'api',
      method: 'GET',
      route: expect.stringMatching(/^\/v1\/email\/threads\/thr_\d+$/),
      // The broken recipients fail in SQLite's JSON functions (the thread's recipients) or in JSON.parse.
      err: { stack: expect.stringMatching(/SyntaxError|malformed JSON/) },
    });
  });
});
