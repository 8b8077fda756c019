import { SearchQuerySchema, SearchResponse } from '../../../shared/api/search.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { getAccount } from '../../db/queries/accounts.ts';
import { parseSearchQuery } from '../../search/parseSearchQuery.ts';
import { presentSearchHit } from '../../search/presentSearchHit.ts';
import { searchMessages } from '../../search/searchMessages.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const MAX_OFFSET = 10_000;

export function registerSearchRoutes(app: ApiServer, { reader }: ApiDeps): void {
  app.get(
    '/v1/email/search',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: 'Full-text search over the local index with Gmail-style operators, ranked',
        querystring: SearchQuerySchema,
        response: { 200: SearchResponse, 400: { $ref: 'ApiError#' }, 401: { $ref: 'ApiError#' }, 404: { $ref: 'ApiError#' } },
      },
    },
    async (request) => {
      const { q, account_id: accountId, limit = 25, cursor, prefix = false } = request.query;
      if (accountId && !getAccount(reader, accountId))
        throw new OutpostError('not_found', `no account ${accountId}`, { field: 'account_id' });
      const offset = cursor ? decodeOffset(cursor) : 0;
      const query = parseSearchQuery(q);
      const rows = searchMessages(reader, query, { accountId, limit: limit + 1, offset, prefixLast: prefix });
      const page = rows.slice(0, limit);
      const next =
        rows.length > limit && offset + limit < MAX_OFFSET ? Buffer.from(String(offset + limit)).toString('base64url') : null;
      return { data: page.map(presentSearchHit), next_cursor: next };
    },
  );
}

function decodeOffset(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('latin1');
  if (!/^\d{1,6}$/.test(text) || Number(text) > MAX_OFFSET) {
    throw new OutpostError('validation_error', 'cursor is not a next_cursor this API returned', { field: 'cursor' });
  }
  return Number(text);
}
