import { HealthResponse } from '../../../shared/api/health.ts';
import { latestSchemaVersion } from '../../db/migrations/index.ts';
import { listAccounts } from '../../db/queries/accounts.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

export function registerHealthRoutes(app: ApiServer, { reader, version }: ApiDeps): void {
  app.get(
    '/v1/health',
    {
      config: { auth: 'public' },
      schema: { summary: 'Liveness and index summary (no auth)', security: [], response: { 200: HealthResponse } },
    },
    async () => ({
      status: 'ok' as const,
      version,
      schema_version: latestSchemaVersion,
      accounts: listAccounts(reader).length,
    }),
  );
}
