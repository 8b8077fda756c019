import type { ThreadView } from '../../shared/api/threads.ts';
import { parsePublicId } from '../../shared/ids.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { ReadableDb, WritableDb } from '../db/handles.ts';
import { getAccount } from '../db/queries/accounts.ts';
import { getLabel, type LabelRole, labelIdsByRole } from '../db/queries/labels.ts';
import { findMatchKeys, MAX_SEARCH_LIMIT, type SearchCursor } from '../db/queries/search.ts';
import {
  listStarredThreads,
  listThreadsByLabels,
  listThreadsOfAccount,
  type ThreadCursor,
  type ThreadRow,
} from '../db/queries/threadReads.ts';
import { transaction } from '../db/transactions.ts';
import { parseSearchQuery } from '../search/parseSearchQuery.ts';
import { applyThreadAction, type ThreadAction, ThreadActionError } from './threadActions.ts';

export const LIST_ROLES: readonly LabelRole[] = ['inbox', 'sent', 'drafts', 'trash', 'spam', 'starred', 'important', 'archive'];

/** Threads a transaction of a view-wide action takes: each batch commits (and is announced) on its own. */
const BATCH = 500;
/** Rows read a statement while a view is resolved. */
const PAGE = 500;
/** Matching messages read a statement while a search's conversations are gathered. */
const SEARCH_BATCH = MAX_SEARCH_LIMIT;

export interface BulkOutcome {
  updated: number[];
  failed: Array<{ id: number; code: string; message: string }>;
  /** The accounts whose threads changed: each gets its changes pushed. */
  accounts: Set<string>;
}

/**
 * One action on many threads in one transaction (each thread its own savepoint): a thread that
 * cannot take it is reported with why, the others are changed and their changes queued for the
 * provider as single actions are.
 */
export function applyActionToThreads(
  db: WritableDb,
  threadIds: readonly number[],
  action: ThreadAction,
  labelId: number | undefined,
): BulkOutcome {
  const outcome: BulkOutcome = { updated: [], failed: [], accounts: new Set() };
  transaction(db, () => {
    for (const threadId of threadIds) {
      try {
        outcome.accounts.add(applyThreadAction(db, threadId, action, labelId).accountId);
        outcome.updated.push(threadId);
      } catch (error) {
        if (!(error instanceof ThreadActionError)) throw error;
        outcome.failed.push({ id: threadId, code: error.code, message: error.message });
      }
    }
  });
  return outcome;
}

/**
 * An action on every conversation of a view (Gmail's "Select all N conversations"): the view's
 * threads are resolved from its definition as they are now, then changed a batch at a time through
 * the same path as ticked threads, so each change reaches the provider through the change queue.
 */
export function applyActionToView(
  reader: ReadableDb,
  writer: WritableDb,
  view: ThreadView,
  action: ThreadAction,
  labelId: number | undefined,
): BulkOutcome & { matched: number } {
  const threadIds = threadIdsInView(reader, view);
  const outcome: BulkOutcome = { updated: [], failed: [], accounts: new Set() };
  for (let i = 0; i < threadIds.length; i += BATCH) {
    const batch = applyActionToThreads(writer, threadIds.slice(i, i + BATCH), action, labelId);
    outcome.updated.push(...batch.updated);
    outcome.failed.push(...batch.failed);
    for (const account of batch.accounts) outcome.accounts.add(account);
  }
  return { ...outcome, matched: threadIds.length };
}

/** Every thread a view lists, newest first: a label's or role's (as GET /v1/email/threads), or a search's. */
export function threadIdsInView(db: ReadableDb, view: ThreadView): number[] {
  if ((view.label === undefined) === (view.query === undefined))
    throw new OutpostError('validation_error', 'a view is a label or a query: name exactly one', { field: 'view' });
  if (view.account_id && !getAccount(db, view.account_id))
    throw new OutpostError('not_found', `no account ${view.account_id}`, { field: 'account_id' });
  if (view.query !== undefined) return searchThreadIds(db, view.query, view.prefix ?? false, view.account_id);
  const label = view.label as string;
  const accountId = view.account_id;
  let list: (after: ThreadCursor | undefined) => ThreadRow[];
  if (label === 'all') {
    if (!accountId) throw new OutpostError('validation_error', 'label "all" needs account_id', { field: 'account_id' });
    list = (after) => listThreadsOfAccount(db, accountId, PAGE, after);
  } else if (label === 'starred') {
    list = (after) => listStarredThreads(db, accountId, PAGE, after);
  } else {
    const labelIds = resolveLabelIds(db, label, accountId);
    list = (after) => listThreadsByLabels(db, labelIds, PAGE, after);
  }
  const ids: number[] = [];
  let after: ThreadCursor | undefined;
  for (;;) {
    const rows = list(after);
    ids.push(...rows.map((row) => row.id));
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) return ids;
    after = { lastMessageAt: last.last_message_at, threadId: last.id };
  }
}

/** A role's labels (of every account, or one) or one label by its id; not_found naming `label` otherwise. */
export function resolveLabelIds(db: ReadableDb, label: string, accountId: string | undefined): number[] {
  if ((LIST_ROLES as readonly string[]).includes(label)) return labelIdsByRole(db, label as LabelRole, accountId);
  const id = parsePublicId('lbl', label);
  const row = id === null ? undefined : getLabel(db, id);
  if (!row || (accountId && row.account_id !== accountId)) {
    throw new OutpostError('not_found', `no label ${label} (use a label id or one of: ${LIST_ROLES.join(', ')}, all)`, {
      field: 'label',
    });
  }
  return [row.id];
}

/** A search's conversations: its matches walked newest first, keys only, each conversation once. */
function searchThreadIds(db: ReadableDb, q: string, prefix: boolean, accountId: string | undefined): number[] {
  const query = parseSearchQuery(q);
  const ids = new Set<number>();
  let after: SearchCursor | null = null;
  for (;;) {
    const { keys } = findMatchKeys(db, query, { accountId, limit: SEARCH_BATCH, prefixLast: prefix, sort: 'date', after });
    for (const key of keys) ids.add(key.thread_id);
    const last = keys.at(-1);
    if (keys.length < SEARCH_BATCH || !last) return [...ids];
    after = { sentAt: last.sent_at, id: last.id };
  }
}
