import {
  ComposeDraftBody,
  type ComposeDraftBodyType,
  ComposeDraftListResponse,
  ComposeDraftParams,
  ComposeDraftResponse,
} from '../../../shared/api/composeDrafts.ts';
import { ApiError } from '../errors.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const errors = Object.fromEntries([400, 401, 403, 404].map((s) => [s, { $ref: 'ApiError#' }]));
const MAX_LISTED = 50;

interface DraftRow {
  id: string;
  draft_json: string;
  updated_at: number;
}

function present(row: DraftRow) {
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
export function registerComposeDraftRoutes(app: ApiServer, { db }: ApiDeps): void {
  app.get(
    '/v1/email/compose-drafts',
    {
      config: { scope: 'read:email' },
      schema: { summary: 'Unsent messages being written, newest first', response: { 200: ComposeDraftListResponse, ...errors } },
    },
    async () => ({
      data: (
        db
          .prepare('SELECT id, draft_json, updated_at FROM compose_drafts ORDER BY updated_at DESC LIMIT ?')
          .all(MAX_LISTED) as DraftRow[]
      ).map(present),
    }),
  );
  app.put(
    '/v1/email/compose-drafts/:id',
    {
      config: { scope: 'write:email' },
      schema: {
        summary: 'Save a message being written (creates or replaces it)',
        params: ComposeDraftParams,
        body: ComposeDraftBody,
        response: { 200: ComposeDraftResponse, ...errors },
      },
    },
    async (request) => {
      const row: DraftRow = {
        id: request.params.id.toLowerCase(),
        draft_json: JSON.stringify(request.body),
        updated_at: Date.now(),
      };
      db.prepare(
        `INSERT INTO compose_drafts (id, draft_json, updated_at) VALUES (@id, @draft_json, @updated_at)
         ON CONFLICT (id) DO UPDATE SET draft_json = excluded.draft_json, updated_at = excluded.updated_at`,
      ).run(row);
      return { data: present(row) };
    },
  );
  app.delete(
    '/v1/email/compose-drafts/:id',
    {
      config: { scope: 'write:email' },
      schema: {
        summary: 'Forget a message being written (sent or discarded)',
        params: ComposeDraftParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const { changes } = db.prepare('DELETE FROM compose_drafts WHERE id = ?').run(request.params.id.toLowerCase());
      if (changes === 0) throw new ApiError('not_found', `no draft ${request.params.id}`);
      return reply.status(204).send(null);
    },
  );
}
