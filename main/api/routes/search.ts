import { SearchQuerySchema, SearchResponse } from '../../../shared/api/search.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { getAccount } from '../../db/queries/accounts.ts';
import { parseSearchQuery } from '../../search/parseSearchQuery.ts';
import { presentSearchHit } from '../../search/presentSearchHit.ts';
import { decodeSearchCursor, encodeSearchCursor } from '../../search/searchCursor.ts';
import { searchPage } from '../../search/searchMessages.ts';
import type { ApiDeps, ApiServer } from '../server.ts';
import { threadSummariesOf } from '../threadSummaries.ts';

export function registerSearchRoutes(app: ApiServer, { reader }: ApiDeps): void {
  app.get(
    '/v1/email/search',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: 'Full-text search over the local index with Gmail-style operators: conversations, newest first, with a total',
        querystring: SearchQuerySchema,
        response: { 200: SearchResponse, 400: { $ref: 'ApiError#' }, 401: { $ref: 'ApiError#' }, 404: { $ref: 'ApiError#' } },
      },
    },
    async (request) => {
      const { q, account_id: accountId, limit = 25, cursor, prefix = false, group = 'threads', sort = 'date' } = request.query;
      if (accountId && !getAccount(reader, accountId))
        throw new OutpostError('not_found', `no account ${accountId}`, { field: 'account_id' });
      const query = parseSearchQuery(q);
      const page = searchPage(reader, query, {
        accountId,
        limit,
        prefixLast: prefix,
        group,
        sort,
        cursor: cursor ? decodeSearchCursor(cursor, sort) : null,
      });
      // Each row with its conversation as the mailbox list shows it (one read of the page's threads).
      const threads = threadSummariesOf(
        reader,
        page.rows.map((row) => row.thread_id),
      );
      return {
        data: page.rows.flatMap((row) => {
          const thread = threads.get(row.thread_id);
          return thread ? [{ ...presentSearchHit(row), thread }] : []; // a thread deleted between the two reads
        }),
        next_cursor: page.next ? encodeSearchCursor(page.next) : null,
        total: page.total,
        total_estimated: page.totalEstimated,
      };
    },
  );
}
