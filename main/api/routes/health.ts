import { dirname } from 'node:path';
import { HealthResponse } from '../../../shared/api/health.ts';
import { type IndexDamage, readDamageNote } from '../../core/indexCondition.ts';
import type { ReadableDb } from '../../db/handles.ts';
import { latestSchemaVersion } from '../../db/migrations/index.ts';
import { listAccounts } from '../../db/queries/accounts.ts';
import type { ApiServer } from '../server.ts';

export interface HealthDeps {
  /** Absent while the index is damaged: nothing is read from it. */
  reader?: ReadableDb;
  version: string;
  /** The damage known to this process; default: what is written beside the reader's index file. */
  damage?: () => IndexDamage | null;
}

export function registerHealthRoutes(app: ApiServer, deps: HealthDeps): void {
  const { reader, version } = deps;
  const damage = deps.damage ?? (() => (reader && !reader.memory ? readDamageNote(dirname(reader.name)) : null));
  app.get(
    '/v1/health',
    {
      config: { auth: 'public' },
      schema: { summary: 'Liveness, index summary and damage (no auth)', security: [], response: { 200: HealthResponse } },
    },
    async () => {
      const found = damage();
      return {
        status: found ? ('damaged' as const) : ('ok' as const),
        version,
        schema_version: latestSchemaVersion,
        accounts: found || !reader ? null : listAccounts(reader).length,
        index_damage: found ? { message: found.message, problems: found.problems, detected_at: found.detectedAt } : null,
      };
    },
  );
}
