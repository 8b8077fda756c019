import type { AccountCapabilities } from '../../shared/api/accounts.ts';
import type { Provider } from '../db/queries/accounts.ts';

/** How an account's provider is stored (accounts.provider). */
export type ProviderId = Provider;

/** What is known of a provider without talking to it: its name for people and what it can do. */
export interface ProviderDescription {
  id: ProviderId;
  name: string;
  capabilities: AccountCapabilities;
}

/**
 * The providers' capabilities, in one table: the API (and through it the UI)
 * and the provider-neutral core read these instead of comparing provider names.
 */
const DESCRIPTIONS: Record<ProviderId, ProviderDescription> = {
  gmail: {
    id: 'gmail',
    name: 'Google',
    capabilities: {
      sync: true,
      send: true,
      organization: 'labels',
      categories: true,
      spam_folder: true,
      revocation: 'revoke',
      connect_with: 'google',
    },
  },
  microsoft: {
    id: 'microsoft',
    name: 'Microsoft',
    capabilities: {
      sync: true,
      send: true,
      organization: 'folders',
      categories: true,
      spam_folder: true,
      // Microsoft has no per-app revocation: the user removes Outpost under the account's apps.
      revocation: 'manual',
      connect_with: 'microsoft',
    },
  },
  local: {
    id: 'local',
    name: 'Imported mail',
    capabilities: {
      sync: false,
      send: false,
      organization: 'labels',
      categories: false,
      spam_folder: false,
      revocation: 'none',
      connect_with: null,
    },
  },
};

export function describeProvider(id: ProviderId): ProviderDescription {
  return DESCRIPTIONS[id];
}

/** The sign-in flows an account can be connected with (POST /v1/accounts/connect {provider}). */
export type ConnectName = 'google' | 'microsoft';

export function isConnectName(value: string | undefined): value is ConnectName {
  return value === 'google' || value === 'microsoft';
}
