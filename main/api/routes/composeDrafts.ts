import {
  ComposeDraftBody,
  type ComposeDraftBodyType,
  ComposeDraftListResponse,
  ComposeDraftParams,
  ComposeDraftResponse,
} from '../../../shared/api/composeDrafts.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { type ComposeDraftRow, deleteComposeDraft, listComposeDrafts, saveComposeDraft } from '../../db/queries/composeDrafts.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const errors = Object.fromEntries([400, 401, 403, 404].map((s) => [s, { $ref: 'ApiError#' }]));
const MAX_LISTED = 50;

function present(row: ComposeDraftRow) {
  return {
    id: row.id,
    updated_at: new Date(row.updated_at).toISOString(),
    ...(JSON.parse(row.draft_json) as ComposeDraftBodyType),
  };
}

/**
 * Messages being written, saved as they are typed (PUT, idempotent per id)
 * and removed when sent or discarded: the compose window reopens them after
 * a closed window, a crash or a quit. Local to this index.
 */
export function registerComposeDraftRoutes(app: ApiServer, { reader, writer }: ApiDeps): void {
  app.get(
    '/v1/email/compose-drafts',
    {
      config: { auth: { scope: 'read:email' } },
      schema: { summary: 'Unsent messages being written, newest first', response: { 200: ComposeDraftListResponse, ...errors } },
    },
    async () => ({ data: listComposeDrafts(reader, MAX_LISTED).map(present) }),
  );
  app.put(
    '/v1/email/compose-drafts/:id',
    {
      config: { auth: { scope: 'write:email' } },
      schema: {
        summary: 'Save a message being written (creates or replaces it)',
        params: ComposeDraftParams,
        body: ComposeDraftBody,
        response: { 200: ComposeDraftResponse, ...errors },
      },
    },
    async (request) => {
      const row: ComposeDraftRow = {
        id: request.params.id.toLowerCase(),
        draft_json: JSON.stringify(request.body),
        updated_at: Date.now(),
      };
      saveComposeDraft(writer, row);
      return { data: present(row) };
    },
  );
  app.delete(
    '/v1/email/compose-drafts/:id',
    {
      config: { auth: { scope: 'write:email' } },
      schema: {
        summary: 'Forget a message being written (sent or discarded)',
        params: ComposeDraftParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      if (!deleteComposeDraft(writer, request.params.id.toLowerCase()))
        throw new OutpostError('not_found', `no draft ${request.params.id}`);
      return reply.status(204).send(null);
    },
  );
}
