import { OutpostError } from '../core/outpostError.ts';
import type { AccountProvider } from './accountProvider.ts';
import { describeProvider, type ProviderId } from './descriptions.ts';
import { ProviderError } from './providerErrors.ts';

/**
 * Imported mail (mbox files, opened .eml files): kept in a local account
 * with no provider behind it. Nothing to sync, push or revoke; it cannot
 * send or answer invitations.
 */
export const localProvider: AccountProvider = {
  description: describeProvider('local'),
  connect: () => Promise.reject(new OutpostError('not_supported', 'imported mail is not connected: it is imported')),
  session: () => ({
    pushChanges: async (changes, settle) => settle(changes.map((c) => c.id)),
    syncMail: async () => ({ messagesProcessed: 0, threadsProcessed: 0, messagesDeleted: 0 }),
    syncCalendars: async () => ({ eventsProcessed: 0 }),
    sender: () => Promise.reject(new ProviderError('not_connected', 'imported mail has no provider to send through')),
    answerInvitation: () => Promise.reject(new ProviderError('not_connected', 'this account has no calendar provider')),
    writeEvent: () => Promise.reject(new ProviderError('not_connected', 'this account has no calendar provider')),
    drafts: () => Promise.reject(new ProviderError('not_connected', 'imported mail has no provider to keep drafts at')),
    labels: () => Promise.reject(new ProviderError('not_connected', 'imported mail has no provider to keep labels at')),
    original: async () => null,
  }),
  revocation: () => null,
};

/**
 * A provider whose OAuth client is not configured in this process (no
 * OUTPOST_GOOGLE_CLIENT_ID, say): its accounts are kept and shown, but
 * nothing reaches the provider, and every attempt says why.
 */
export function unconfiguredProvider(id: ProviderId, why: string): AccountProvider {
  const refuse = () => Promise.reject(new ProviderError('not_connected', why));
  const description = describeProvider(id);
  return {
    description,
    connect: () => Promise.reject(new OutpostError('provider_not_configured', why)),
    session: () => ({
      pushChanges: refuse,
      syncMail: refuse,
      syncCalendars: refuse,
      sender: refuse,
      answerInvitation: refuse,
      writeEvent: refuse,
      drafts: refuse,
      labels: refuse,
      original: refuse,
    }),
    revocation: () => (description.capabilities.revocation === 'revoke' ? async () => false : null),
  };
}
