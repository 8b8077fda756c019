import { GRAPH_RESPOND_SCOPES, type MicrosoftConfig } from '../auth/providerConfig.ts';
import type { AccountRow } from '../db/queries/accounts.ts';
import type { AccountProvider, AccountSession } from './accountProvider.ts';
import { describeProvider } from './descriptions.ts';
import { graphCalendarSync } from './graph/graphCalendarSync.ts';
import { pushGraphChanges } from './graph/graphChangePusher.ts';
import type { GraphClient } from './graph/graphClient.ts';
import { connectMicrosoft } from './graph/graphConnect.ts';
import { graphDrafts } from './graph/graphDrafts.ts';
import { writeGraphEvent } from './graph/graphEventWrites.ts';
import { graphFolderWrites } from './graph/graphFolderWrites.ts';
import { answerOnGraph } from './graph/graphInvitations.ts';
import { graphMailSync } from './graph/graphMailSync.ts';
import { graphOriginal } from './graph/graphOriginal.ts';
import { graphSendProvider } from './graph/graphSendProvider.ts';
import { openGraphClient } from './graph/graphSession.ts';
import type { ProviderDeps } from './providerDeps.ts';

/**
 * Microsoft 365 / Outlook accounts through Microsoft Graph: folders as
 * places (a message is in one), categories, per-folder message deltas,
 * calendarView deltas, sendMail, and accept / tentativelyAccept / decline.
 * Tokens come from msal-node's cache kept in the vault.
 */
export function microsoftProvider(config: MicrosoftConfig, deps: ProviderDeps): AccountProvider {
  return {
    description: describeProvider('microsoft'),
    connect: (options) => connectMicrosoft(deps.db, deps.vault, config, options),
    session(account: AccountRow, signal?: AbortSignal): AccountSession {
      const log = deps.log.child({ provider: 'microsoft', account_id: account.id });
      let opened: Promise<GraphClient> | null = null;
      const open = () => {
        opened ??= openGraphClient(config, deps.vault, account.id, { log, signal });
        // A failed opening (offline, needs reauth) is tried again next time.
        opened.catch(() => {
          opened = null;
        });
        return opened;
      };
      const base = { db: deps.db, blobs: deps.blobs, accountId: account.id, attachmentSizeCap: deps.attachmentSizeCap };
      return {
        pushChanges: async (changes, settle) => pushGraphChanges(deps.db, await open(), account.id, changes, settle, log),
        syncMail: async (request, run) =>
          graphMailSync(
            { ...base, client: await open(), signal: run.signal, reportProgress: run.reportProgress },
            { full: request.mode === 'full' },
          ),
        syncCalendars: async (request, run) =>
          graphCalendarSync({ ...base, client: await open(), signal: run.signal, reportProgress: run.reportProgress }, request),
        sender: async () => graphSendProvider(await open()),
        // The one call that needs Calendars.ReadWrite: an account connected before it was asked for must reconnect.
        answerInvitation: async (invitation) =>
          answerOnGraph(
            await openGraphClient(config, deps.vault, account.id, { log, signal, scopes: GRAPH_RESPOND_SCOPES }),
            invitation,
          ),
        // Writing events needs Calendars.ReadWrite too.
        writeEvent: async (edit) =>
          writeGraphEvent(
            await openGraphClient(config, deps.vault, account.id, { log, signal, scopes: GRAPH_RESPOND_SCOPES }),
            edit,
          ),
        drafts: async () => graphDrafts(await open()),
        labels: async () => graphFolderWrites(await open()),
        original: async (remoteId) => graphOriginal(await open(), remoteId),
      };
    },
    // Microsoft has no per-app revocation: the user removes Outpost under the account's apps.
    revocation: () => null,
  };
}
