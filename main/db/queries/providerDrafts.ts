import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

/** A message being written that is kept at its account's provider too (migration 022). */
export interface ProviderDraftRow {
  compose_id: string;
  account_id: string;
  rfc822_message_id: string;
  provider_draft_id: string | null;
  message_remote_id: string;
  thread_remote_id: string | null;
  pending: 'save' | 'delete' | null;
  version: number;
  updated_at: number;
}

/** The draft, with the text compose saved for it (null once it was sent or discarded). */
export interface PendingDraft extends ProviderDraftRow {
  draft_json: string | null;
}

const COLUMNS =
  'compose_id, account_id, rfc822_message_id, provider_draft_id, message_remote_id, thread_remote_id, pending, version, updated_at';

export function providerDraft(db: ReadableDb, composeId: string): ProviderDraftRow | undefined {
  return stmt<[string], ProviderDraftRow>(db, `SELECT ${COLUMNS} FROM provider_drafts WHERE compose_id = ?`).get(composeId);
}

/** The draft standing for this index message, if compose has one. */
export function providerDraftOfMessage(db: ReadableDb, accountId: string, messageRemoteId: string): ProviderDraftRow | undefined {
  return stmt<[string, string], ProviderDraftRow>(
    db,
    `SELECT ${COLUMNS} FROM provider_drafts WHERE account_id = ? AND message_remote_id = ?`,
  ).get(accountId, messageRemoteId);
}

/** A save waits for the provider: a new row, or the row's next version (a save or delete waiting before is replaced). */
export function queueDraftSave(
  db: WritableDb,
  row: Pick<ProviderDraftRow, 'compose_id' | 'account_id' | 'rfc822_message_id' | 'message_remote_id' | 'thread_remote_id'> & {
    provider_draft_id?: string | null;
  },
): void {
  stmt(
    db,
    `INSERT INTO provider_drafts (compose_id, account_id, rfc822_message_id, provider_draft_id, message_remote_id, thread_remote_id, pending, version, updated_at)
     VALUES (@compose_id, @account_id, @rfc822_message_id, @provider_draft_id, @message_remote_id, @thread_remote_id, 'save', 1, @now)
     ON CONFLICT (compose_id) DO UPDATE SET pending = 'save', version = version + 1, updated_at = excluded.updated_at`,
  ).run({ provider_draft_id: null, ...row, now: Date.now() });
}

/** The provider is to lose the draft (sent or discarded here). */
export function queueDraftDelete(db: WritableDb, composeId: string): void {
  stmt(db, "UPDATE provider_drafts SET pending = 'delete', version = version + 1, updated_at = ? WHERE compose_id = ?").run(
    Date.now(),
    composeId,
  );
}

/** The account's drafts the provider has yet to be told about, oldest first, with compose's text for them. */
export function pendingDrafts(db: ReadableDb, accountId: string): PendingDraft[] {
  return stmt<[string], PendingDraft>(
    db,
    `SELECT ${COLUMNS.split(', ')
      .map((c) => `p.${c}`)
      .join(', ')}, c.draft_json
     FROM provider_drafts p LEFT JOIN compose_drafts c ON c.id = p.compose_id
     WHERE p.account_id = ? AND p.pending IS NOT NULL ORDER BY p.updated_at`,
  ).all(accountId);
}

/**
 * The provider has the draft's save of `version`: its ids recorded, and nothing left to push unless
 * a later save came meanwhile.
 */
export function settleDraftSave(
  db: WritableDb,
  composeId: string,
  version: number,
  saved: { draftId: string; messageRemoteId: string; threadRemoteId: string | null },
): void {
  stmt(
    db,
    `UPDATE provider_drafts SET provider_draft_id = ?, message_remote_id = ?, thread_remote_id = ?,
       pending = CASE WHEN version = ? THEN NULL ELSE pending END
     WHERE compose_id = ?`,
  ).run(saved.draftId, saved.messageRemoteId, saved.threadRemoteId, version, composeId);
}

/** The provider lost the draft: the row is done (unless it was saved again meanwhile). */
export function settleDraftDelete(db: WritableDb, composeId: string, version: number): void {
  stmt(db, "DELETE FROM provider_drafts WHERE compose_id = ? AND version = ? AND pending = 'delete'").run(composeId, version);
}

/** A push of this version failed for good (the provider refuses it): nothing more is pushed for it. */
export function dropDraftPush(db: WritableDb, composeId: string, version: number): void {
  stmt(db, 'UPDATE provider_drafts SET pending = NULL WHERE compose_id = ? AND version = ?').run(composeId, version);
}

/** Another compose window continues the draft: the row (and what it waits to push) is now that window's. */
export function moveDraftToCompose(db: WritableDb, fromComposeId: string, toComposeId: string): void {
  stmt(db, 'UPDATE provider_drafts SET compose_id = ? WHERE compose_id = ?').run(toComposeId, fromComposeId);
}
