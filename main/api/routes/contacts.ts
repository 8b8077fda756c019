import { ContactListResponse, ContactQuery } from '../../../shared/api/contacts.ts';
import { matchingContacts } from '../../db/queries/contacts.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const errors = Object.fromEntries([400, 401, 403].map((s) => [s, { $ref: 'ApiError#' }]));

/** Recipient completion from the people the index has mail with (main/db/queries/contacts.ts ranks them). */
export function registerContactRoutes(app: ApiServer, { reader }: ApiDeps): void {
  app.get(
    '/v1/email/contacts',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: 'People the index has mail with, for completing recipient fields',
        querystring: ContactQuery,
        response: { 200: ContactListResponse, ...errors },
      },
    },
    async (request) => ({ data: matchingContacts(reader, request.query.q.trim(), request.query.limit ?? 8) }),
  );
}
