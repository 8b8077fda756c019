import { randomBytes } from 'node:crypto';
import type { ComposeDraftBodyType } from '../../shared/api/composeDrafts.ts';
import type { Log } from '../core/log.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { WritableDb } from '../db/handles.ts';
import { type AccountRow, getAccount } from '../db/queries/accounts.ts';
import { deleteComposeDraft } from '../db/queries/composeDrafts.ts';
import { labelIdsByRole } from '../db/queries/labels.ts';
import { threadRemote } from '../db/queries/messageLookups.ts';
import { deleteMessages, type MessageInput, writeMessages } from '../db/queries/messageWrites.ts';
import {
  dropDraftPush,
  moveDraftToCompose,
  type PendingDraft,
  type ProviderDraftRow,
  pendingDrafts,
  providerDraft,
  providerDraftOfMessage,
  queueDraftDelete,
  queueDraftSave,
  settleDraftDelete,
  settleDraftSave,
} from '../db/queries/providerDrafts.ts';
import { getMessageRow } from '../db/queries/threadReads.ts';
import { transaction } from '../db/transactions.ts';
import { parseRfc822 } from '../mail/parseRfc822.ts';
import { toMessageInput } from '../mail/toMessageInput.ts';
import type { AccountSession, DraftContent, SavedDraft } from '../providers/accountProvider.ts';
import { ProviderError } from '../providers/providerErrors.ts';
import { type JobQueue, SyncInProgressError } from '../sync/jobQueue.ts';
import type { JobRunner } from '../sync/jobRunner.ts';
import { composeMessage } from './composeMessage.ts';
import { replyContext, SendError, sendingAccount } from './sendingAccount.ts';

export interface DraftSyncDeps {
  db: WritableDb;
  blobs: BlobStore;
  log: Log;
}

/** The index message standing for a draft its provider has not answered for yet. */
const placeholderRemoteId = (composeId: string) => `outpost-draft:${composeId}`;

/** The account a draft belongs to: the one it was first kept at, else the one it would be sent from; null when none sends. */
function draftAccount(
  deps: DraftSyncDeps,
  existing: ProviderDraftRow | undefined,
  body: ComposeDraftBodyType,
): AccountRow | null {
  const kept = existing ? getAccount(deps.db, existing.account_id) : undefined;
  if (kept) return kept;
  try {
    return sendingAccount(deps.db, body.from, body.thread_id);
  } catch (error) {
    // No connected mail account (imported mail only): the draft stays here.
    if (error instanceof SendError && error.code === 'insufficient_permissions') return null;
    throw error;
  }
}

/** The draft as MIME, under the Message-ID it keeps for its life, with a reply's headers. */
async function draftContent(
  deps: DraftSyncDeps,
  account: AccountRow,
  body: ComposeDraftBodyType,
  rfc822MessageId: string,
): Promise<DraftContent> {
  const reply = body.thread_id ? replyContext(deps.db, account, body.thread_id, undefined) : null;
  const composed = await composeMessage({
    from: { name: account.display_name ?? '', email: account.email },
    to: body.to,
    cc: body.cc,
    bcc: body.bcc,
    subject: body.subject,
    text: body.body_text,
    ...(body.body_html ? { html: body.body_html } : {}),
    inReplyTo: reply?.inReplyTo,
    references: reply?.references,
    messageId: rfc822MessageId,
  });
  return {
    raw: composed.raw,
    rfc822MessageId,
    to: body.to,
    cc: body.cc,
    bcc: body.bcc,
    subject: body.subject,
    text: body.body_text,
    html: body.body_html ?? null,
    providerThreadId: reply?.providerThreadId ?? null,
  };
}

/** The draft's index message (in the account's Drafts), under the ids given. */
async function draftMessage(
  deps: DraftSyncDeps,
  accountId: string,
  content: DraftContent,
  ids: { remoteId: string; threadRemoteId: string },
): Promise<MessageInput> {
  return toMessageInput(
    await parseRfc822(content.raw),
    {
      ...ids,
      receivedAt: Date.now(),
      labelIds: labelIdsByRole(deps.db, 'drafts', accountId),
      isUnread: false,
      isStarred: false,
      isImportant: false,
      isDraft: true,
      sizeBytes: content.raw.byteLength,
    },
    { blobs: deps.blobs, attachmentSizeCap: 25 * 1024 * 1024 },
  );
}

/**
 * Compose saved a message being written: when it belongs to an account that keeps drafts, it is in
 * that account's Drafts in the index at once and waits for the provider (pushDrafts). `adopt` names
 * an index message (msg_N, a draft synced from the provider) that this compose window continues:
 * the provider's draft is updated, not duplicated. Returns the account the push waits for, or null
 * when the draft is local only.
 */
export async function keepDraft(
  deps: DraftSyncDeps,
  composeId: string,
  body: ComposeDraftBodyType,
  adopt?: string,
): Promise<string | null> {
  let existing = providerDraft(deps.db, composeId);
  const adopted = !existing && adopt ? adoptedMessage(deps, adopt) : undefined;
  if (adopted) existing = providerDraftOfMessage(deps.db, adopted.account_id, adopted.remote_id);
  const account = adopted ? getAccount(deps.db, adopted.account_id) : draftAccount(deps, existing, body);
  if (!account) return null;
  const rfc822MessageId =
    existing?.rfc822_message_id ??
    adopted?.rfc822_message_id ??
    `${Date.now().toString(36)}.${randomBytes(12).toString('hex')}@${account.email.split('@')[1] ?? 'outpost.localhost'}`;
  const content = await draftContent(deps, account, body, rfc822MessageId);
  const remoteId = existing?.message_remote_id ?? adopted?.remote_id ?? placeholderRemoteId(composeId);
  const threadRemoteId = existing?.thread_remote_id ?? adopted?.thread_remote_id ?? content.providerThreadId ?? remoteId;
  const input = await draftMessage(deps, account.id, content, { remoteId, threadRemoteId });
  transaction(deps.db, () => {
    if (existing && existing.compose_id !== composeId) {
      // A draft made here, opened again from Drafts: this window continues it, the older one is done.
      moveDraftToCompose(deps.db, existing.compose_id, composeId);
      deleteComposeDraft(deps.db, existing.compose_id);
    }
    writeMessages(deps.db, account.id, [input]);
    queueDraftSave(deps.db, {
      compose_id: composeId,
      account_id: account.id,
      rfc822_message_id: rfc822MessageId,
      message_remote_id: remoteId,
      thread_remote_id: threadRemoteId,
    });
  });
  return account.id;
}

/** An index message compose continues: msg_N, a draft (with the Message-ID that finds it at the provider). */
function adoptedMessage(deps: DraftSyncDeps, publicId: string) {
  const id = /^msg_(\d+)$/.exec(publicId)?.[1];
  const row = id ? getMessageRow(deps.db, Number(id)) : undefined;
  if (!row) throw new SendError('not_found', `no message ${publicId}`);
  if (!row.rfc822_message_id) throw new SendError('validation_error', `${publicId} has no Message-ID to find its draft by`);
  return {
    ...row,
    rfc822_message_id: row.rfc822_message_id,
    thread_remote_id: threadRemote(deps.db, row.thread_id)?.remoteId ?? null,
  };
}

/**
 * The message being written was sent or discarded: its index message leaves Drafts now, and the
 * provider's draft is deleted at the next push. Returns the account the push waits for, or null.
 */
export function forgetDraft(deps: DraftSyncDeps, composeId: string): string | null {
  const row = providerDraft(deps.db, composeId);
  if (!row) return null;
  transaction(deps.db, () => {
    deleteMessages(deps.db, row.account_id, [row.message_remote_id]);
    queueDraftDelete(deps.db, composeId);
  });
  return row.account_id;
}

/** The provider refused the draft itself (it would refuse it again): anything else is worth another try. */
function refusedForGood(error: unknown): boolean {
  return (
    error instanceof ProviderError && error.code === 'provider_error' && [400, 403, 409, 413, 422].includes(error.status ?? 0)
  );
}

/**
 * Tells the provider the account's waiting drafts (before a mail sync pulls, so the sync brings them
 * back as they are): a save creates or updates the provider's draft, a delete removes it. A draft the
 * provider has no id for yet is first looked up by its Message-ID, so a create whose answer was lost
 * is updated instead of made twice. Each draft settles as it goes; a draft the provider refuses for
 * good is dropped (logged; it stays here); any other failure stops, the rest waiting for the next sync.
 * Returns how many were pushed.
 */
export async function pushDrafts(deps: DraftSyncDeps, session: AccountSession, accountId: string): Promise<number> {
  const waiting = pendingDrafts(deps.db, accountId);
  if (waiting.length === 0) return 0;
  const drafts = await session.drafts();
  const account = getAccount(deps.db, accountId);
  if (!account) return 0;
  let pushed = 0;
  for (const row of waiting) {
    const draftId = row.provider_draft_id ?? (await drafts.find(row.rfc822_message_id))?.draftId ?? null;
    try {
      if (row.pending === 'save' && row.draft_json) {
        const body = JSON.parse(row.draft_json) as ComposeDraftBodyType;
        const content = await draftContent(deps, account, body, row.rfc822_message_id);
        const saved = await drafts.save(content, draftId);
        await recordSave(deps, row, content, saved);
      } else {
        if (draftId) await drafts.delete(draftId);
        settleDraftDelete(deps.db, row.compose_id, row.version);
      }
      pushed++;
    } catch (error) {
      if (!refusedForGood(error)) throw error;
      dropDraftPush(deps.db, row.compose_id, row.version);
      deps.log.warn({ account_id: accountId, draft: row.compose_id, err: error }, 'the provider refused a draft; kept here only');
    }
  }
  if (pushed > 0) deps.log.info({ account_id: accountId, pushed }, 'drafts pushed');
  return pushed;
}

/** The provider has the draft: its ids recorded, and the index message under the provider's ids (a Gmail update makes a new message). */
async function recordSave(deps: DraftSyncDeps, row: PendingDraft, content: DraftContent, saved: SavedDraft): Promise<void> {
  const threadRemoteId = saved.threadRemoteId ?? row.thread_remote_id ?? saved.messageRemoteId;
  const moved = saved.messageRemoteId !== row.message_remote_id || threadRemoteId !== row.thread_remote_id;
  const input = moved
    ? await draftMessage(deps, row.account_id, content, { remoteId: saved.messageRemoteId, threadRemoteId })
    : null;
  transaction(deps.db, () => {
    // Sent or discarded while the save was under way: nothing goes back into Drafts.
    const now = providerDraft(deps.db, row.compose_id);
    settleDraftSave(deps.db, row.compose_id, row.version, { ...saved, threadRemoteId });
    if (!input || now?.pending === 'delete') return;
    deleteMessages(deps.db, row.account_id, [row.message_remote_id]);
    writeMessages(deps.db, row.account_id, [input]);
  });
}

/**
 * A mail sync of the account soon pushes its drafts: none is added while one waits to start (it will
 * read them), but one is while a sync runs (it read its drafts when it began); a running full sync
 * pushes them at the next.
 */
export function pushMailSoon(jobs: JobQueue, runner: JobRunner, accountId: string): void {
  if (jobs.latest('email_sync', accountId)?.status === 'queued') return;
  try {
    jobs.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [accountId], params: { trigger: 'draft' } });
    runner.wake();
  } catch (error) {
    if (!(error instanceof SyncInProgressError)) throw error;
  }
}
