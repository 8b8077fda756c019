import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../../main/api/auth/apiKeys.ts';
import { createSession, SESSION_LIFETIME_MS } from '../../../main/api/auth/sessions.ts';
import { type Core, startCore } from '../../../main/core/startCore.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/**
 * GET /v1/events is a long-lived request: its key or session was checked when
 * it opened. A stream ends when its credential stops being valid: at once
 * when the key is revoked through the API, at the next re-check (within a
 * second) when it was revoked behind the API's back (`outpost keys revoke`
 * from another process) or the session expired. Nothing is delivered after.
 */
describe('event streams end when their key or session stops being valid', () => {
  const dir = makeTempDir();
  let core: Core;
  let adminSession: string;

  beforeAll(async () => {
    core = await startCore({ dataDir: dir.path, port: 0, version: 'test', rendererDir: null, schedule: false });
    adminSession = createSession(core.db, { admin: true }).token;
  });
  afterAll(async () => {
    await core.close();
    dir.remove();
  });

  /** An open stream: its text so far, and a promise of all of it once the server ends it. */
  async function openStream(token: string) {
    const res = await fetch(`${core.baseUrl}/v1/events`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    let arrived = () => {};
    const ended = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += decoder.decode(value, { stream: true });
        arrived();
      }
    })();
    /** Resolves once the stream holds `needle` (the stream ending first fails the test). */
    const received = (needle: string) =>
      new Promise<void>((resolve, reject) => {
        arrived = () => text.includes(needle) && resolve();
        arrived();
        void ended.then(() => (text.includes(needle) ? resolve() : reject(new Error(`the stream ended without ${needle}`))));
      });
    return { ended, received, text: () => text };
  }

  const outboxEvent = (id: string) => core.events.emit({ type: 'outbox.updated', id, status: 'sent' });

  it('ends a key’s stream when DELETE /v1/keys/{id} revokes it, and delivers nothing after', async () => {
    const { key, info } = createApiKey(core.db, 'script', ['read:email']);
    const other = createApiKey(core.db, 'other script', ['read:email']).key;
    const stream = await openStream(key);
    const otherStream = await openStream(other);
    outboxEvent('out_before');
    await stream.received('out_before');

    const revoked = await fetch(`${core.baseUrl}/v1/keys/${info.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${adminSession}` },
    });
    expect(revoked.status).toBe(200);
    outboxEvent('out_after');
    const all = await stream.ended;
    expect(all).toContain('out_before');
    expect(all).not.toContain('out_after');
    // Only that key's streams end: another key's stream still gets the event (and stays open: closing the core ends it).
    await otherStream.received('out_after');
    // The revoked key opens no new stream.
    expect((await fetch(`${core.baseUrl}/v1/events`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(401);
  });

  it('ends a key’s stream when another process revokes the key (the next re-check)', async () => {
    const { key, info } = createApiKey(core.db, 'script', ['read:email']);
    const stream = await openStream(key);
    outboxEvent('out_seen');
    await stream.received('out_seen');
    // What `outpost keys revoke` does from another process: the row changes, the API is not told.
    revokeApiKey(core.db, info.id);
    const all = await stream.ended;
    expect(all).toContain('out_seen');
    outboxEvent('out_late');
    expect(stream.text()).not.toContain('out_late');
  });

  it('ends a session’s stream when the session expires', async () => {
    // A session created (nearly) a lifetime ago: it expires three seconds from now.
    const { token, expiresAt } = createSession(core.db, { admin: false, now: Date.now() - SESSION_LIFETIME_MS + 3000 });
    const stream = await openStream(token);
    outboxEvent('out_live');
    await stream.received('out_live');
    await stream.ended;
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    outboxEvent('out_expired');
    expect(stream.text()).not.toContain('out_expired');
  });
});
