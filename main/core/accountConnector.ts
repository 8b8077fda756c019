import { connectGoogle } from '../auth/connectGoogle.ts';
import { connectMicrosoft } from '../auth/connectMicrosoft.ts';
import type { Engine } from './engine.ts';
import { OutpostError } from './outpostError.ts';

export type ConnectProvider = 'google' | 'microsoft';

export class ConnectError extends OutpostError {
  declare readonly code: 'provider_not_configured' | 'provider_error';
  constructor(code: ConnectError['code'], message: string) {
    super(code, message);
  }
}

/**
 * Connecting an account from the UI: starts the same loopback OAuth flow the
 * CLI uses inside the core and hands back the consent page's URL for the UI
 * to open (a browser tab; the system browser in Electron). The flow finishes
 * in the background: the account appears (an `account.updated` event) and its
 * first syncs are queued. One flow per provider at a time; each gives up after
 * five minutes.
 */
export class AccountConnector {
  readonly #engine: Engine;
  readonly #pending = new Map<ConnectProvider, AbortController>();

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  start(provider: ConnectProvider): Promise<{ authorizationUrl: string }> {
    const { db, vault, providers, events, jobs, runner } = this.#engine;
    const google = providers.google;
    const microsoft = providers.microsoft;
    if (provider === 'google' ? !google : !microsoft)
      return Promise.reject(
        new ConnectError(
          'provider_not_configured',
          provider === 'google'
            ? 'no Google OAuth client is configured (set OUTPOST_GOOGLE_CLIENT_ID; see the README)'
            : 'no Microsoft application is configured (set OUTPOST_MICROSOFT_CLIENT_ID; see the README)',
        ),
      );
    // A new attempt replaces an abandoned one (the user closed the consent tab).
    this.#pending.get(provider)?.abort();
    const controller = new AbortController();
    this.#pending.set(provider, controller);
    return new Promise((resolve, reject) => {
      let handedOut = false;
      const options = {
        signal: controller.signal,
        timeoutMs: 5 * 60_000,
        openBrowser: async (url: string) => {
          handedOut = true;
          resolve({ authorizationUrl: url });
        },
      };
      const flow =
        provider === 'google' && google
          ? connectGoogle(db, vault, google, options)
          : connectMicrosoft(db, vault, microsoft as NonNullable<typeof microsoft>, options);
      flow
        .then(
          (account) => {
            events.emit({ type: 'account.updated', account_id: account.id, status: 'active' });
            for (const kind of ['email_sync', 'calendar_sync'] as const) {
              try {
                jobs.enqueue({ kind, mode: 'incremental', accountIds: [account.id], params: { trigger: 'connect' } });
              } catch {
                // a sync of it is already open
              }
            }
            runner.wake();
          },
          (error: Error) => {
            if (!handedOut) reject(new ConnectError('provider_error', error.message));
            else if (!controller.signal.aborted) console.error(`connecting a ${provider} account failed: ${error.message}`);
          },
        )
        .finally(() => {
          if (this.#pending.get(provider) === controller) this.#pending.delete(provider);
        });
    });
  }

  /** Abandons flows still waiting for the browser (shutdown). */
  stop(): void {
    for (const controller of this.#pending.values()) controller.abort();
    this.#pending.clear();
  }
}
