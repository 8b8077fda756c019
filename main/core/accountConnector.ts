import type { ConnectName } from '../providers/registry.ts';
import type { Engine } from './engine.ts';
import { OutpostError } from './outpostError.ts';

export type ConnectProvider = ConnectName;

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

  start(name: ConnectProvider): Promise<{ authorizationUrl: string }> {
    const { providers, events, jobs, runner, log } = this.#engine;
    let provider: ReturnType<typeof providers.forConnect>;
    try {
      provider = providers.forConnect(name);
    } catch (error) {
      return Promise.reject(error);
    }
    // A new attempt replaces an abandoned one (the user closed the consent tab).
    this.#pending.get(name)?.abort();
    const controller = new AbortController();
    this.#pending.set(name, controller);
    return new Promise((resolve, reject) => {
      let handedOut = false;
      provider
        .connect({
          signal: controller.signal,
          timeoutMs: 5 * 60_000,
          openBrowser: async (url: string) => {
            handedOut = true;
            resolve({ authorizationUrl: url });
          },
        })
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
            if (!handedOut)
              reject(
                error instanceof OutpostError && error.code === 'provider_not_configured'
                  ? error
                  : new OutpostError('provider_error', error.message),
              );
            else if (!controller.signal.aborted) log.warn({ err: error, provider: name }, 'connecting an account failed');
          },
        )
        .finally(() => {
          if (this.#pending.get(name) === controller) this.#pending.delete(name);
        });
    });
  }

  /** Abandons flows still waiting for the browser (shutdown). */
  stop(): void {
    for (const controller of this.#pending.values()) controller.abort();
    this.#pending.clear();
  }
}
