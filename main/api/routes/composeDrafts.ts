import {
  ComposeDraftBody,
  type ComposeDraftBodyType,
  ComposeDraftListResponse,
  ComposeDraftParams,
  ComposeDraftResponse,
} from '../../../shared/api/composeDrafts.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { type ComposeDraftRow, deleteComposeDraft, listComposeDrafts, saveComposeDraft } from '../../db/queries/composeDrafts.ts';
import { forgetDraft, keepDraft, pushMailSoon } from '../../send/draftSync.ts';
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
 * a closed window, a crash or a quit. One that belongs to a connected mail
 * account is in that account's Drafts at once and kept at its provider too
 * (main/send/draftSync.ts: pushed by the next mail sync, asked for now).
 */
export function registerComposeDraftRoutes(app: ApiServer, { reader, writer, blobs, log, jobs, runner }: ApiDeps): void {
  const drafts = { db: writer, blobs, log };
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
      const { message_id: adopt, ...body } = request.body;
      const accountId = await keepDraft(drafts, row.id, request.body, adopt);
      saveComposeDraft(writer, { ...row, draft_json: JSON.stringify(body) });
      if (accountId) pushMailSoon(jobs, runner, accountId);
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
      const id = request.params.id.toLowerCase();
      const accountId = forgetDraft(drafts, id);
      if (!deleteComposeDraft(writer, id) && !accountId) throw new OutpostError('not_found', `no draft ${request.params.id}`);
      if (accountId) pushMailSoon(jobs, runner, accountId);
      return reply.status(204).send(null);
    },
  );
}
