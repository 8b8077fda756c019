import { existingRemoteIds } from '../../db/queries/messageLookups.ts';
import { deleteUnseenMessages, updateMessageState, writeMessages } from '../../db/queries/messageWrites.ts';
import { clearSeen, deleteCursor, getCursor, markSeen, setCursor } from '../../db/queries/syncCursors.ts';
import { transaction } from '../../db/transactions.ts';
import { logRetry, withRetry } from '../../sync/retryPolicy.ts';
import { classifyGoogleFailure, httpStatusOf, isRateLimited, toProviderError } from './gmailErrors.ts';
import { fetchMessages, QUOTA_UNITS } from './gmailFetch.ts';
import { syncGmailLabels } from './gmailLabelSync.ts';
import { messageState, toMessageInputs } from './gmailPageWriter.ts';
import { FULL_SYNC_CURSOR, type GmailSyncContext, HISTORY_CURSOR, RESYNC_SCOPE, type SyncCounts } from './gmailSyncContext.ts';

/** A full sync in progress, persisted after every page so a killed sync resumes where it stopped. */
interface FullSyncState {
  pageToken: string | null;
  /** The mailbox's historyId when the sync began: incremental sync continues from it, so nothing that changes meanwhile is missed. */
  startHistoryId: string;
  /** Reconciling resync: afterwards, delete local messages Gmail no longer has. */
  reconcile: boolean;
  /** Gmail search that limits the listing (the 24-hour catch-up window); null lists everything. */
  query: string | null;
  done: number;
  total: number | null;
}

export interface FullSyncOptions {
  reconcile: boolean;
  query?: string | null;
}

/**
 * Lists every message (spam and trash included) page by page, fetches the
 * ones the index lacks in full (raw) and only the labels of the ones it has,
 * and commits each page together with the next page token. A reconciling
 * resync then removes what Gmail no longer has — the index is never wiped.
 */
export async function gmailFullSync(ctx: GmailSyncContext, options: FullSyncOptions): Promise<SyncCounts> {
  const { db, session, accountId, signal } = ctx;
  const counts: SyncCounts = { messagesProcessed: 0, threadsProcessed: 0, messagesDeleted: 0 };
  const threads = new Set<string>();
  const labels = await syncGmailLabels(db, session, accountId, signal);

  const resumed = getCursor(db, accountId, FULL_SYNC_CURSOR);
  let state: FullSyncState;
  if (resumed) {
    state = JSON.parse(resumed) as FullSyncState;
  } else {
    const profile = await call(ctx, QUOTA_UNITS.getProfile, () => session.gmail.users.getProfile({ userId: 'me' }, { signal }));
    state = {
      pageToken: null,
      startHistoryId: String(profile.data.historyId),
      reconcile: options.reconcile,
      query: options.query ?? null,
      done: 0,
      total: options.query ? null : (profile.data.messagesTotal ?? null),
    };
    transaction(db, () => {
      clearSeen(db, accountId, RESYNC_SCOPE);
      setCursor(db, accountId, FULL_SYNC_CURSOR, '', JSON.stringify(state));
    });
  }
  // The expected total at once (the profile's messagesTotal), before the first page of 500 is in.
  if (state.total !== null) ctx.reportProgress(state.done, Math.max(state.total, state.done));

  // A pipeline, so the quota never idles: as soon as a page is listed, the
  // next one is listed and fetched too, sharing the quota, while this one
  // finishes and is committed (at most two pages in memory). Commits stay in
  // page order, each with the token after it, so a kill resumes exactly there.
  const start = (pageToken: string | null) => {
    const listed = listPage(ctx, { ...state, pageToken });
    const fetched = listed.then((page) => fetchPage(ctx, page));
    fetched.catch(() => {}); // awaited in order below, where a failure surfaces
    return { listed, fetched };
  };
  let current = start(state.pageToken);
  for (;;) {
    signal?.throwIfAborted();
    const nextToken = (await current.listed).nextPageToken ?? null;
    const upcoming = nextToken ? start(nextToken) : null;
    const { listed, ids, full, minimal } = await current.fetched;
    const inputs = await toMessageInputs(
      [...full.values()].filter((m) => m !== null),
      labels,
      ctx,
    );
    const next: FullSyncState = { ...state, pageToken: nextToken, done: state.done + ids.length };
    transaction(db, () => {
      writeMessages(db, accountId, inputs);
      for (const message of minimal.values())
        if (message) updateMessageState(db, accountId, message.id, messageState(labels, message.labelIds));
      if (state.reconcile)
        markSeen(
          db,
          accountId,
          RESYNC_SCOPE,
          [...full.values(), ...minimal.values()].filter((m) => m !== null).map((m) => m.id),
        );
      setCursor(db, accountId, FULL_SYNC_CURSOR, '', JSON.stringify(next));
    });
    counts.messagesProcessed += inputs.length + [...minimal.values()].filter(Boolean).length;
    for (const m of listed) threads.add(m.threadId);
    state = next;
    ctx.reportProgress(state.done, state.total === null ? null : Math.max(state.total, state.done));
    if (!upcoming) break;
    current = upcoming;
  }

  transaction(db, () => {
    if (state.reconcile) counts.messagesDeleted = deleteUnseenMessages(db, accountId, RESYNC_SCOPE);
    clearSeen(db, accountId, RESYNC_SCOPE);
    deleteCursor(db, accountId, FULL_SYNC_CURSOR);
    setCursor(db, accountId, HISTORY_CURSOR, '', state.startHistoryId);
  });
  counts.threadsProcessed = threads.size;
  return counts;
}

type ListedPage = Awaited<ReturnType<typeof listPage>>;

/** The messages of one listed page: raw for those the index lacks, labels only for the others. */
async function fetchPage(ctx: GmailSyncContext, page: ListedPage) {
  const listed = (page.messages ?? []).filter((m): m is { id: string; threadId: string } => Boolean(m.id && m.threadId));
  const ids = listed.map((m) => m.id);
  const known = existingRemoteIds(ctx.db, ctx.accountId, ids);
  const unknownIds = ids.filter((id) => !known.has(id));
  const [full, minimal] = await Promise.all([
    fetchMessages(ctx.session, unknownIds, 'raw', ctx.signal),
    fetchMessages(ctx.session, [...known], 'minimal', ctx.signal),
  ]);
  return { page, listed, ids, full, minimal };
}

async function listPage(ctx: GmailSyncContext, state: FullSyncState) {
  const { session, signal } = ctx;
  const list = (pageToken: string | null) =>
    call(ctx, QUOTA_UNITS.messagesList, () =>
      session.gmail.users.messages.list(
        {
          userId: 'me',
          maxResults: 500,
          includeSpamTrash: true,
          ...(pageToken ? { pageToken } : {}),
          ...(state.query ? { q: state.query } : {}),
        },
        { signal },
      ),
    );
  try {
    return (await list(state.pageToken)).data;
  } catch (error) {
    // A page token from a sync interrupted long ago may have expired: start the listing over (pages already written are cheap to revisit).
    if (state.pageToken && httpStatusOf((error as { cause?: unknown }).cause ?? error) === 400) {
      state.pageToken = null;
      return (await list(null)).data;
    }
    throw error;
  }
}

/** One quota-paced Gmail call with classified retries. */
export async function call<T>(
  ctx: Pick<GmailSyncContext, 'session' | 'signal'>,
  units: number,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await withRetry(
      async () => {
        await ctx.session.quota.take(units, ctx.signal);
        try {
          return await operation();
        } catch (error) {
          if (isRateLimited(error)) ctx.session.quota.rateLimited();
          throw error;
        }
      },
      { classify: classifyGoogleFailure, signal: ctx.signal, maxAttempts: 8, onRetry: logRetry(ctx.session.log, 'gmail') },
    );
  } catch (error) {
    throw Object.assign(toProviderError(error), { cause: error });
  }
}
