import { Type } from 'typebox';
import {
  BulkThreadActionBody,
  BulkThreadActionResponse,
  LabelListResponse,
  ListThreadsQuery,
  MAX_THREAD_IDS,
  ServiceThreadsQuery,
  ServiceThreadsResponse,
  ThreadActionBody,
  ThreadListResponse,
  ThreadResponse,
  ViewThreadActionBody,
  ViewThreadActionResponse,
} from '../../../shared/api/threads.ts';
import { parsePublicId } from '../../../shared/ids.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { getAccount } from '../../db/queries/accounts.ts';
import {
  attachmentsOfMessage,
  getThreadRow,
  labelIdsOfMessage,
  labelIdsOfThreads,
  listStarredThreads,
  listThreadsByLabels,
  listThreadsByLink,
  listThreadsOfAccount,
  messagesOfThread,
  type ThreadCursor,
  type ThreadRow,
} from '../../db/queries/threadReads.ts';
import { applyThreadAction, LABEL_ACTIONS, type ThreadAction } from '../../mail/threadActions.ts';
import { applyActionToThreads, applyActionToView, resolveLabelIds } from '../../mail/viewActions.ts';
import { presentMessage, presentThreadSummary } from '../mailPresenters.ts';
import { decodePageCursor, encodePageCursor } from '../pageCursor.ts';
import type { ApiDeps, ApiServer } from '../server.ts';
import { threadSummariesOf } from '../threadSummaries.ts';
import { presentLabels } from './labels.ts';

const errors = { 400: { $ref: 'ApiError#' }, 401: { $ref: 'ApiError#' }, 404: { $ref: 'ApiError#' } };

export function registerThreadRoutes(app: ApiServer, { reader, writer, jobs, runner }: ApiDeps): void {
  /** The action's label (lbl_...), checked against the action: the label actions need one, the others take none. */
  const actionLabel = (body: { action: string; label_id?: string | undefined }): number | undefined => {
    const labelId = body.label_id === undefined ? undefined : parsePublicId('lbl', body.label_id);
    if (labelId === null) throw new OutpostError('not_found', `no label ${body.label_id}`);
    const needsLabel = LABEL_ACTIONS.has(body.action as ThreadAction);
    if (needsLabel !== (labelId !== undefined))
      throw new OutpostError(
        'validation_error',
        needsLabel ? `${body.action} needs a label_id` : `${body.action} takes no label_id`,
        {
          field: 'label_id',
        },
      );
    return labelId;
  };
  /** Push soon: an incremental sync sends pending changes first. A running full sync will push them when it ends. */
  const pushSoon = (accountId: string) => {
    if (jobs.hasOpenJob('email_sync', accountId)) return;
    try {
      jobs.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [accountId], params: { trigger: 'local_change' } });
      runner.wake();
    } catch (error) {
      if ((error as { code?: string }).code !== 'sync_in_progress') throw error;
    }
  };

  app.get(
    '/v1/email/threads',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: 'List threads in a label, newest first (keyset-paged)',
        querystring: ListThreadsQuery,
        response: { 200: ThreadListResponse, ...errors },
      },
    },
    async (request) => {
      const { label, account_id: accountId, limit = 50, cursor, ids, contact_id: contactId, deal_id: dealId } = request.query;
      if (ids !== undefined) {
        if (label !== undefined || accountId !== undefined || cursor !== undefined)
          throw new OutpostError('validation_error', 'ids cannot be combined with label, account_id or cursor', { field: 'ids' });
        return { data: summariesOf(parseThreadIds(ids)), next_cursor: null };
      }
      if (contactId !== undefined || dealId !== undefined) {
        if (label !== undefined || accountId !== undefined)
          throw new OutpostError('validation_error', 'contact_id and deal_id list a timeline: not with label or account_id', {
            field: contactId !== undefined ? 'contact_id' : 'deal_id',
          });
        const rows = listThreadsByLink(reader, { contactId, dealId }, limit + 1, threadCursor(cursor));
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          data: summariesOf(page.map((row) => row.id)),
          next_cursor: rows.length > limit && last ? encodePageCursor({ at: last.last_message_at, id: last.id }) : null,
        };
      }
      const page = listPage(label ?? 'inbox', accountId, limit, cursor);
      return { data: page.threads, next_cursor: page.nextCursor };
    },
  );

  // The services document's "next steps": the same listing for the admin session, in its camelCase vocabulary.
  app.get(
    '/api/threads',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'List email threads (admin session; services API vocabulary)',
        querystring: ServiceThreadsQuery,
        response: { 200: ServiceThreadsResponse, ...errors, 403: { $ref: 'ApiError#' } },
      },
    },
    async (request) => {
      const { serviceId, label = 'inbox', limit = 50, cursor } = request.query;
      return listPage(label, serviceId, limit, cursor);
    },
  );

  /** Summaries of the threads asked for that exist, in the order asked (the UI's id-keyed cache refreshes through this). */
  function summariesOf(threadIds: readonly number[]) {
    const summaries = threadSummariesOf(reader, threadIds);
    return threadIds.flatMap((id) => summaries.get(id) ?? []);
  }

  function listPage(label: string, accountId: string | undefined, limit: number, cursor: string | undefined) {
    if (accountId && !getAccount(reader, accountId))
      throw new OutpostError('not_found', `no account ${accountId}`, { field: 'account_id' });
    const after = threadCursor(cursor);
    let rows: ThreadRow[];
    if (label === 'all') {
      if (!accountId) throw new OutpostError('validation_error', 'label "all" needs account_id', { field: 'account_id' });
      rows = listThreadsOfAccount(reader, accountId, limit + 1, after);
    } else if (label === 'starred') {
      // By the flag both providers sync (Gmail's STARRED label, Outlook's flag), not by a label only Gmail has.
      rows = listStarredThreads(reader, accountId, limit + 1, after);
    } else {
      rows = listThreadsByLabels(reader, resolveLabelIds(reader, label, accountId), limit + 1, after);
    }
    const page = rows.slice(0, limit);
    const labels = labelIdsOfThreads(
      reader,
      page.map((row) => row.id),
    );
    const last = page.at(-1);
    return {
      threads: page.map((row) => presentThreadSummary(row, labels.get(row.id) ?? [])),
      nextCursor: rows.length > limit && last ? encodePageCursor({ at: last.last_message_at, id: last.id }) : null,
    };
  }

  app.get(
    '/v1/email/threads/:id',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: 'One thread with all its messages, oldest first',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        response: { 200: ThreadResponse, ...errors },
      },
    },
    async (request) => {
      const threadId = parsePublicId('thr', request.params.id);
      const thread = threadId === null ? undefined : getThreadRow(reader, threadId);
      if (!thread) throw new OutpostError('not_found', `no thread ${request.params.id}`);
      const labels = labelIdsOfThreads(reader, [thread.id]).get(thread.id) ?? [];
      const messages = messagesOfThread(reader, thread.id).map((m) =>
        presentMessage(m, labelIdsOfMessage(reader, m.id), attachmentsOfMessage(reader, m.id)),
      );
      return { data: { ...presentThreadSummary(thread, labels), messages } };
    },
  );

  app.post(
    '/v1/email/threads/:id/actions',
    {
      config: { auth: { scope: 'write:email' } },
      schema: {
        summary:
          'Archive, trash, move to inbox, report spam / not spam, mark read/unread, star/unstar, label, unlabel or move a thread (local at once, then the provider)',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        body: ThreadActionBody,
        response: { 200: ThreadResponse, ...errors },
      },
    },
    async (request) => {
      const threadId = parsePublicId('thr', request.params.id);
      if (threadId === null) throw new OutpostError('not_found', `no thread ${request.params.id}`);
      const labelId = actionLabel(request.body);
      const { accountId } = applyThreadAction(writer, threadId, request.body.action as ThreadAction, labelId);
      pushSoon(accountId);
      const thread = getThreadRow(writer, threadId);
      if (!thread) throw new OutpostError('not_found', `no thread ${request.params.id}`);
      const labels = labelIdsOfThreads(writer, [thread.id]).get(thread.id) ?? [];
      const messages = messagesOfThread(writer, thread.id).map((m) =>
        presentMessage(m, labelIdsOfMessage(writer, m.id), attachmentsOfMessage(writer, m.id)),
      );
      return { data: { ...presentThreadSummary(thread, labels), messages } };
    },
  );

  app.post(
    '/v1/email/threads/actions',
    {
      config: { auth: { scope: 'write:email' } },
      schema: {
        summary:
          'One action on many threads at once (up to 1,000; a select-all in the UI): each applied in the index, then pushed. Threads that cannot take it are listed with why; the others are done',
        body: BulkThreadActionBody,
        response: { 200: BulkThreadActionResponse, ...errors },
      },
    },
    async (request) => {
      const labelId = actionLabel(request.body);
      const failed: Array<{ id: string; code: string; message: string }> = [];
      const threadIds: number[] = [];
      for (const id of request.body.thread_ids) {
        const threadId = parsePublicId('thr', id);
        if (threadId === null) failed.push({ id, code: 'not_found', message: `no thread ${id}` });
        else threadIds.push(threadId);
      }
      // One transaction for the lot (each thread its own savepoint), so a thousand threads commit once.
      const outcome = applyActionToThreads(writer, threadIds, request.body.action as ThreadAction, labelId);
      for (const accountId of outcome.accounts) pushSoon(accountId);
      failed.push(...outcome.failed.map((f) => ({ ...f, id: `thr_${f.id}` })));
      // In the order asked.
      const asked = new Map(request.body.thread_ids.map((id, index) => [id, index]));
      failed.sort((a, b) => (asked.get(a.id) ?? 0) - (asked.get(b.id) ?? 0));
      return { data: { updated: outcome.updated.map((id) => `thr_${id}`), failed } };
    },
  );

  app.post(
    '/v1/email/views/actions',
    {
      config: { auth: { scope: 'write:email' }, idempotent: true },
      schema: {
        summary:
          "One action on every conversation of a view (a label's, a role's or a search's, of one account or all: the UI's \"Select all N conversations\"), however many the list has loaded. The core lists the view's threads as they are now and changes them 500 a transaction, each change queued for the provider like a single action's",
        body: ViewThreadActionBody,
        response: { 200: ViewThreadActionResponse, ...errors, 409: { $ref: 'ApiError#' } },
      },
    },
    async (request) => {
      const labelId = actionLabel(request.body);
      const outcome = applyActionToView(reader, writer, request.body.view, request.body.action as ThreadAction, labelId);
      for (const accountId of outcome.accounts) pushSoon(accountId);
      return {
        data: {
          matched: outcome.matched,
          updated_count: outcome.updated.length,
          updated: outcome.updated.map((id) => `thr_${id}`),
          failed: outcome.failed.slice(0, 100).map((f) => ({ ...f, id: `thr_${f.id}` })),
          failed_count: outcome.failed.length,
        },
      };
    },
  );

  app.get(
    '/v1/email/labels',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: 'Labels, folders and categories of every account (or one), with thread and unread counts',
        querystring: Type.Object({ account_id: Type.Optional(Type.String({ maxLength: 100 })) }),
        response: { 200: LabelListResponse, ...errors },
      },
    },
    async (request) => {
      const accountId = request.query.account_id;
      if (accountId && !getAccount(reader, accountId))
        throw new OutpostError('not_found', `no account ${accountId}`, { field: 'account_id' });
      return { data: presentLabels(reader, accountId) };
    },
  );
}

/** `thr_1,thr_2,...` as row ids, each once, in order; 400 naming `ids` for a malformed or too long list. */
function parseThreadIds(value: string): number[] {
  const publicIds = value.split(',').map((id) => id.trim());
  if (publicIds.length > MAX_THREAD_IDS)
    throw new OutpostError('validation_error', `ids may name at most ${MAX_THREAD_IDS} threads`, { field: 'ids' });
  const rowIds = publicIds.map((id) => {
    const rowId = parsePublicId('thr', id);
    if (rowId === null)
      throw new OutpostError('validation_error', `ids: "${id.slice(0, 40)}" is not a thread id (thr_<n>)`, { field: 'ids' });
    return rowId;
  });
  return [...new Set(rowIds)];
}

function threadCursor(cursor: string | undefined): ThreadCursor | undefined {
  if (cursor === undefined) return undefined;
  const { at, id } = decodePageCursor(cursor);
  return { lastMessageAt: at, threadId: id };
}
