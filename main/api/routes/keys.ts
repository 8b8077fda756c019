import { CreatedKeyResponse, CreateKeyBody, KeyListResponse, KeyParams, RevokedKeyResponse } from '../../../shared/api/keys.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from '../auth/apiKeys.ts';
import type { CredentialWatch } from '../auth/credentialWatch.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const errors = Object.fromEntries([400, 401, 403, 404].map((s) => [s, { $ref: 'ApiError#' }]));
const admin = { auth: 'admin' } as const;

/** API key management (admin scope: an admin session or a key with `admin`). */
export function registerKeyRoutes(
  app: ApiServer,
  { reader, writer, credentials }: ApiDeps & { credentials: CredentialWatch },
): void {
  app.post(
    '/v1/keys',
    {
      config: admin,
      schema: {
        summary: 'Create an API key (the key is returned once)',
        body: CreateKeyBody,
        response: { 201: CreatedKeyResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { key, info } = createApiKey(writer, request.body.name, request.body.scopes);
      return reply.status(201).send({ data: { ...info, key } });
    },
  );
  app.get(
    '/v1/keys',
    { config: admin, schema: { summary: 'List API keys (never the keys)', response: { 200: KeyListResponse, ...errors } } },
    async () => ({
      data: listApiKeys(reader),
    }),
  );
  app.delete(
    '/v1/keys/:id',
    {
      config: admin,
      schema: { summary: 'Revoke an API key', params: KeyParams, response: { 200: RevokedKeyResponse, ...errors } },
    },
    async (request) => {
      if (!revokeApiKey(writer, request.params.id)) throw new OutpostError('not_found', `no API key ${request.params.id}`);
      // Its open event streams end now, before this answer: nothing reaches them after the revocation.
      credentials.keyRevoked(request.params.id);
      return getApiKey(writer, request.params.id);
    },
  );
}
