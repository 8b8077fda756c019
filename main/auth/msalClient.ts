import type { ICachePlugin, PublicClientApplication } from '@azure/msal-node';
import type { MicrosoftConfig } from './providerConfig.ts';
import type { TokenVault } from './tokenVault.ts';

export const MSAL_CACHE = 'msal.cache';

/**
 * msal-node's token cache, kept in the vault (encrypted) under one Outpost
 * account. Before connecting, the account does not exist yet: the cache
 * lives in memory and is saved once the account row is known.
 */
export class VaultCachePlugin implements ICachePlugin {
  readonly #vault: TokenVault;
  #accountId: string | null;
  #pending: string | null = null;

  constructor(vault: TokenVault, accountId: string | null) {
    this.#vault = vault;
    this.#accountId = accountId;
  }

  async beforeCacheAccess(context: { tokenCache: { deserialize(cache: string): void } }): Promise<void> {
    const stored = this.#accountId ? this.#vault.get(this.#accountId, MSAL_CACHE) : this.#pending;
    if (stored) context.tokenCache.deserialize(stored);
  }

  async afterCacheAccess(context: { cacheHasChanged: boolean; tokenCache: { serialize(): string } }): Promise<void> {
    if (!context.cacheHasChanged) return;
    const serialized = context.tokenCache.serialize();
    if (this.#accountId) this.#vault.put(this.#accountId, MSAL_CACHE, serialized);
    else this.#pending = serialized;
  }

  /** Binds an in-memory cache (from connecting) to the new account and saves it. */
  attach(accountId: string): void {
    this.#accountId = accountId;
    if (this.#pending) this.#vault.put(accountId, MSAL_CACHE, this.#pending);
    this.#pending = null;
  }
}

/**
 * msal-node is loaded when a Microsoft account is first used (connected or
 * synced): loading it costs about 130 ms of CPU, which every `outpost sync`
 * paid at start even with no Microsoft account (docs/benchmarks.md, CLI start-up).
 */
export async function newMsalClient(config: MicrosoftConfig, cachePlugin: VaultCachePlugin): Promise<PublicClientApplication> {
  const { PublicClientApplication } = await import('@azure/msal-node');
  return new PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      ...(config.knownAuthorities.length ? { knownAuthorities: config.knownAuthorities } : {}),
    },
    cache: { cachePlugin },
  });
}
