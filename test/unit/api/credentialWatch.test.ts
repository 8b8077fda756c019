import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiKey, revokeApiKey } from '../../../main/api/auth/apiKeys.ts';
import type { Principal } from '../../../main/api/auth/authenticate.ts';
import { CredentialWatch } from '../../../main/api/auth/credentialWatch.ts';
import { createSession, findSession, SESSION_LIFETIME_MS } from '../../../main/api/auth/sessions.ts';
import { memoryLog } from '../../../main/core/log.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';

/**
 * The watch behind GET /v1/events: a request opened with a key or session is
 * ended within a second of the credential lapsing, on a clock the test moves
 * (fake timers), so "within a second" is checked exactly, whatever the load.
 */
describe('CredentialWatch', () => {
  let db: IndexDb;
  let watch: CredentialWatch;
  const logged = memoryLog();

  beforeEach(() => {
    vi.useFakeTimers();
    db = openIndex(':memory:');
    watch = new CredentialWatch(db, logged.log);
  });
  afterEach(() => {
    watch.close();
    vi.useRealTimers();
    db.close();
  });

  const keyPrincipal = (id: string): Principal => ({ kind: 'key', id, isAdmin: false, scopes: ['read:email'] });
  function sessionPrincipal(token: string): Principal {
    const session = findSession(db, token);
    if (!session) throw new Error('no such session');
    return { kind: 'session', id: 'session', scopes: ['read:email'], ...session };
  }

  it('ends a key’s requests at once when the API revokes it, and only that key’s', () => {
    const revoked = vi.fn();
    const kept = vi.fn();
    const a = createApiKey(db, 'a', ['read:email']).info.id;
    const b = createApiKey(db, 'b', ['read:email']).info.id;
    watch.watch(keyPrincipal(a), revoked);
    watch.watch(keyPrincipal(b), kept);
    watch.keyRevoked(a);
    expect(revoked).toHaveBeenCalledTimes(1);
    expect(kept).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5_000);
    expect(revoked).toHaveBeenCalledTimes(1);
    expect(kept).not.toHaveBeenCalled();
  });

  it('ends a request within a second of its key being revoked elsewhere (another process)', () => {
    const end = vi.fn();
    const { info } = createApiKey(db, 'a', ['read:email']);
    watch.watch(keyPrincipal(info.id), end);
    vi.advanceTimersByTime(3_000);
    expect(end).not.toHaveBeenCalled();
    revokeApiKey(db, info.id);
    vi.advanceTimersByTime(1_000);
    expect(end).toHaveBeenCalledTimes(1);
  });

  it('ends a session’s request within a second of its expiry', () => {
    // Created nearly a lifetime ago: it expires ten seconds from now.
    const token = createSession(db, { admin: false, now: Date.now() - SESSION_LIFETIME_MS + 10_000 }).token;
    const end = vi.fn();
    watch.watch(sessionPrincipal(token), end);
    vi.advanceTimersByTime(9_000);
    expect(end).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000); // expired one second ago
    expect(end).toHaveBeenCalledTimes(1);
  });

  it('ends the requests when it cannot re-check (fail closed), and logs why', () => {
    const end = vi.fn();
    watch.watch(keyPrincipal(createApiKey(db, 'a', ['read:email']).info.id), end);
    db.close();
    vi.advanceTimersByTime(1_000);
    expect(end).toHaveBeenCalledTimes(1);
    expect(logged.text()).toContain('could not re-check');
    db = openIndex(':memory:');
  });

  it('runs no timer while nothing is watched, and an unwatched request is never ended', () => {
    const end = vi.fn();
    const unwatch = watch.watch(keyPrincipal('key_gone'), end);
    expect(vi.getTimerCount()).toBe(1);
    unwatch();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5_000);
    expect(end).not.toHaveBeenCalled();
  });
});
