import type { ProviderConfig } from '../auth/providerConfig.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { AccountRow } from '../db/queries/accounts.ts';
import type { AccountProvider } from './accountProvider.ts';
import type { ConnectName, ProviderId } from './descriptions.ts';
import type { GmailQuotaSettings } from './gmail/gmailSession.ts';
import { googleProvider } from './googleProvider.ts';
import { localProvider, unconfiguredProvider } from './localProvider.ts';
import { microsoftProvider } from './microsoftProvider.ts';
import type { ProviderDeps } from './providerDeps.ts';

// In descriptions.ts, which loads no provider's client (`outpost accounts list` checks them).
export { type ConnectName, isConnectName } from './descriptions.ts';

/**
 * Every provider of this process, built once in the composition root. The
 * core asks it for an account's provider and talks to that; it is the one
 * place that maps an account's stored provider id to its module.
 */
export class ProviderRegistry {
  readonly #byId: Record<ProviderId, AccountProvider>;

  constructor(byId: Record<ProviderId, AccountProvider>) {
    this.#byId = byId;
  }

  /** The providers configured in `config` (a provider without an OAuth client refuses, saying so). */
  static create(config: ProviderConfig, deps: ProviderDeps & { gmailQuota: GmailQuotaSettings }): ProviderRegistry {
    return new ProviderRegistry({
      gmail: config.google
        ? googleProvider(config.google, { ...deps, quota: deps.gmailQuota })
        : unconfiguredProvider('gmail', 'no Google OAuth client is configured (set OUTPOST_GOOGLE_CLIENT_ID; see the README)'),
      microsoft: config.microsoft
        ? microsoftProvider(config.microsoft, deps)
        : unconfiguredProvider(
            'microsoft',
            'no Microsoft application is configured (set OUTPOST_MICROSOFT_CLIENT_ID; see the README)',
          ),
      local: localProvider,
    });
  }

  of(account: Pick<AccountRow, 'provider'>): AccountProvider {
    return this.#byId[account.provider];
  }

  /** The provider a sign-in flow connects (the UI's "Connect Google", `outpost accounts connect microsoft`). */
  forConnect(name: ConnectName): AccountProvider {
    const provider = Object.values(this.#byId).find((p) => p.description.capabilities.connect_with === name);
    if (!provider) throw new OutpostError('provider_not_configured', `no provider connects ${name} accounts`);
    return provider;
  }

  /**
   * Whether an account belongs to the provider a request names: the documented sync endpoints
   * take `provider` as "gmail", "google" or "microsoft".
   */
  static matches(account: Pick<AccountRow, 'provider'>, requested: string | undefined): boolean {
    if (requested === undefined) return true;
    const name = requested === 'google' ? 'gmail' : requested;
    return account.provider === name;
  }
}
