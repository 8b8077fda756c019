import {
  AccountListResponse,
  AccountParams,
  AccountRemovalResponse,
  AccountResponse,
  UpdateAccountBody,
} from '../../../shared/api/accounts.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { type AccountRow, getAccount, listAccounts, updateAccountSettings } from '../../db/queries/accounts.ts';
import { describeProvider } from '../../providers/descriptions.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const errors = Object.fromEntries([400, 401, 403, 404, 503].map((s) => [s, { $ref: 'ApiError#' }]));

function present(account: AccountRow) {
  const provider = describeProvider(account.provider);
  return {
    ...account,
    provider_name: provider.name,
    capabilities: provider.capabilities,
    created_at: new Date(account.created_at).toISOString(),
    last_synced_at: account.last_synced_at === null ? null : new Date(account.last_synced_at).toISOString(),
  };
}

/** The connected accounts, and the settings each keeps (how often it syncs on its own). */
export function registerAccountRoutes(app: ApiServer, { reader, writer, removeAccount }: ApiDeps): void {
  app.get(
    '/v1/accounts',
    {
      config: { auth: { scope: 'read:email' } },
      schema: { summary: 'List connected accounts', response: { 200: AccountListResponse, ...errors } },
    },
    async () => ({ data: listAccounts(reader).map(present) }),
  );
  // Settings, like API keys, are the owner's: an admin session or an admin key.
  app.patch(
    '/v1/accounts/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: "Change an account's sync intervals (the scheduler reads them within 30 s), signature or display name (From)",
        params: AccountParams,
        body: UpdateAccountBody,
        response: { 200: AccountResponse, ...errors },
      },
    },
    async (request) => {
      if (
        !updateAccountSettings(writer, request.params.id, {
          email_sync: request.body.email_sync_minutes,
          calendar_sync: request.body.calendar_sync_minutes,
          ...(request.body.signature !== undefined ? { signature: request.body.signature } : {}),
          // Spaces alone are no name: the address goes alone.
          ...(request.body.display_name !== undefined ? { displayName: request.body.display_name?.trim() || null } : {}),
        })
      )
        throw new OutpostError('not_found', `no account ${request.params.id}`);
      return { data: present(getAccount(writer, request.params.id) as AccountRow) };
    },
  );
  app.delete(
    '/v1/accounts/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary:
          'Remove an account from this computer: its sync stops and its mail, calendars and sign-in are deleted here (nothing at the provider; Google is asked to revoke the grant)',
        params: AccountParams,
        response: { 200: AccountRemovalResponse, ...errors },
      },
    },
    async (request) => {
      if (!removeAccount) throw new OutpostError('service_unavailable', 'accounts cannot be removed by this server');
      const removed = await removeAccount(request.params.id);
      return {
        data: {
          id: request.params.id,
          messages_removed: removed.messages,
          events_removed: removed.events,
          blobs_freed: removed.blobsFreed,
          revoked: removed.revoked,
        },
      };
    },
  );
}
