import { type Static, Type } from 'typebox';
import { MAX_SYNC_MINUTES } from '../syncIntervals.ts';

const SyncMinutes = (what: string) =>
  Type.Union([Type.Integer({ minimum: 0, maximum: MAX_SYNC_MINUTES }), Type.Null()], {
    description: `minutes between automatic ${what} syncs; null: the default; 0: only when asked (Sync now, POST /v1/email/sync)`,
  });

/**
 * What an account's provider can do, so the UI and scripts ask this instead of which provider it
 * is (main/providers/ decides it; nothing else compares provider names).
 */
export const AccountCapabilitiesSchema = Type.Object({
  sync: Type.Boolean({ description: 'mail and calendars sync with the provider (false: imported mail)' }),
  send: Type.Boolean({ description: 'mail can be sent from the account' }),
  organization: Type.Union([Type.Literal('labels'), Type.Literal('folders')], {
    description: 'labels: a message carries any number of labels (Gmail); folders: it sits in one folder (Outlook)',
  }),
  categories: Type.Boolean({ description: 'messages take categories besides their place (Gmail tabs, Outlook categories)' }),
  spam_folder: Type.Boolean({ description: 'mail can be reported as spam into a spam folder' }),
  revocation: Type.Union([Type.Literal('revoke'), Type.Literal('manual'), Type.Literal('none')], {
    description:
      "what removing the account does at the provider: revoke: Outpost's grant is revoked; manual: the user removes it in the account's apps; none: nothing to revoke",
  }),
  connect_with: Type.Union([Type.Literal('google'), Type.Literal('microsoft'), Type.Null()], {
    description: 'the sign-in flow that connects (or reconnects) such an account: POST /v1/accounts/connect {provider}',
  }),
});
export type AccountCapabilities = Static<typeof AccountCapabilitiesSchema>;

export const AccountSchema = Type.Object({
  id: Type.String(),
  provider: Type.String({ description: 'gmail, microsoft or local' }),
  provider_name: Type.String({ description: 'the provider as people name it: Google, Microsoft, Imported mail' }),
  capabilities: AccountCapabilitiesSchema,
  email: Type.String(),
  display_name: Type.Union([Type.String(), Type.Null()], {
    description: 'the name mail from this account carries in From (set in Settings or PATCH); null: the address alone',
  }),
  status: Type.String({ description: 'active, needs_reauth or disconnected' }),
  created_at: Type.String(),
  last_synced_at: Type.Union([Type.String(), Type.Null()], { description: 'end of the last successful mail sync' }),
  last_error: Type.Union([Type.String(), Type.Null()], { description: 'why the last sync failed, until one succeeds' }),
  email_sync_minutes: SyncMinutes('mail'),
  calendar_sync_minutes: SyncMinutes('calendar'),
  signature: Type.String({ description: "added below what is written in Outpost's Compose (plain text; empty: none)" }),
});

export const AccountListResponse = Type.Object(
  { data: Type.Array(AccountSchema) },
  { description: 'The connected accounts, with each provider’s name and capabilities' },
);
export type AccountListResponseBody = Static<typeof AccountListResponse>;
export const AccountResponse = Type.Object({ data: AccountSchema }, { description: 'The account as it now is' });
export type AccountResponseBody = Static<typeof AccountResponse>;

export const AccountParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/** Settings an account keeps; the fields left out stay as they are. */
export const UpdateAccountBody = Type.Object(
  {
    email_sync_minutes: Type.Optional(SyncMinutes('mail')),
    calendar_sync_minutes: Type.Optional(SyncMinutes('calendar')),
    signature: Type.Optional(Type.String({ maxLength: 10_000 })),
    display_name: Type.Optional(
      Type.Union([Type.String({ maxLength: 200, pattern: '^[^\\r\\n]*$' }), Type.Null()], {
        description: 'the name sent in From ("Alice Example" <alice@example.com>); empty or null: the address alone',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAccountBodyType = Static<typeof UpdateAccountBody>;

/** What DELETE /v1/accounts/{id} removed from this computer (nothing is deleted at the provider). */
export const AccountRemovalResponse = Type.Object(
  {
    data: Type.Object({
      id: Type.String(),
      messages_removed: Type.Integer(),
      events_removed: Type.Integer(),
      blobs_freed: Type.Integer({ description: 'stored raw messages and attachments no other account used' }),
      revoked: Type.Union([Type.Boolean(), Type.Null()], {
        description:
          "Google: whether the grant was revoked (false: Google could not be reached); null for Microsoft (no per-app revocation: remove Outpost under the account's apps) and imported mail",
      }),
    }),
  },
  { description: 'What was removed from this computer, and whether the provider revoked the grant' },
);
export type AccountRemovalResponseBody = Static<typeof AccountRemovalResponse>;
