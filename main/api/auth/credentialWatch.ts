import type { Log } from '../../core/log.ts';
import type { ReadableDb } from '../../db/handles.ts';
import { isApiKeyLive } from './apiKeys.ts';
import type { Principal } from './authenticate.ts';
import { isSessionLive } from './sessions.ts';

/** How often open streams' credentials are checked again: well within the second a revocation or expiry may take. */
export const RECHECK_MS = 250;

/**
 * The credentials of long-lived requests (the event stream), which were
 * checked only when they opened. Each watched request is ended once its
 * credential stops being valid:
 * - at once when the API revokes its key (`keyRevoked`, from DELETE /v1/keys/{id});
 * - at the next re-check (every RECHECK_MS while anything is watched) when its
 *   session expired, or its key or session was revoked where the API did not
 *   hear of it (`outpost keys revoke` from another process).
 * A re-check that cannot read the index ends the requests (fail closed).
 */
export class CredentialWatch {
  readonly #db: ReadableDb;
  readonly #log: Log;
  readonly #now: () => number;
  readonly #watched = new Map<() => void, Principal>();
  #timer: NodeJS.Timeout | null = null;

  constructor(db: ReadableDb, log: Log, now: () => number = Date.now) {
    this.#db = db;
    this.#log = log;
    this.#now = now;
  }

  /** Watches a request opened with `principal`; `end` is called (once) when the credential is no longer valid. Returns the unwatch. */
  watch(principal: Principal, end: () => void): () => void {
    this.#watched.set(end, principal);
    if (!this.#timer) {
      this.#timer = setInterval(() => this.recheck(), RECHECK_MS);
      this.#timer.unref();
    }
    return () => this.#forget(end);
  }

  /** The API revoked this key: its requests end now. */
  keyRevoked(keyId: string): void {
    for (const [end, principal] of this.#watched) if (principal.kind === 'key' && principal.id === keyId) this.#end(end);
  }

  /** Checks every watched credential again (the timer calls it; tests may too). */
  recheck(): void {
    const now = this.#now();
    for (const [end, principal] of this.#watched) {
      let live: boolean;
      try {
        live =
          principal.kind === 'key'
            ? isApiKeyLive(this.#db, principal.id)
            : principal.expiresAt >= now && isSessionLive(this.#db, principal.tokenSha256, now);
      } catch (error) {
        this.#log.error({ err: error }, 'could not re-check an open stream’s credential; ending the stream');
        live = false;
      }
      if (!live) this.#end(end);
    }
  }

  /** Ends every watched request (the server is closing). */
  close(): void {
    for (const end of this.#watched.keys()) this.#end(end);
  }

  #end(end: () => void): void {
    this.#forget(end);
    end();
  }

  #forget(end: () => void): void {
    this.#watched.delete(end);
    if (this.#watched.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }
}
