import { join } from 'node:path';
import { createSession } from '../../main/api/auth/sessions.ts';
import { type ApiDeps, type ApiServer, buildApiServer } from '../../main/api/server.ts';
import { EventBus } from '../../main/core/eventBus.ts';
import { silentLog } from '../../main/core/log.ts';
import { BlobStore } from '../../main/db/blobStore.ts';
import { openReader, type WritableDb } from '../../main/db/openIndex.ts';
import { JobQueue } from '../../main/sync/jobQueue.ts';
import { JobRunner } from '../../main/sync/jobRunner.ts';
// Every response of the API built here is checked against its /openapi.json (test/support/apiContract.ts).
import './apiContract.ts';

export const TEST_HOST = '127.0.0.1:7766';

/**
 * The API over an index, not listening (driven by inject()), with an admin session token;
 * `extra` adds or replaces dependencies (a stand-in for a core function, say).
 */
export async function buildTestApi(
  db: WritableDb,
  blobsDir: string,
  extra: Partial<ApiDeps> = {},
): Promise<{ app: ApiServer; token: string }> {
  const events = new EventBus(silentLog);
  const jobs = new JobQueue(db, events);
  const reader = openReader(db);
  const app = await buildApiServer({
    reader,
    writer: db,
    log: silentLog,
    logDir: join(blobsDir, 'logs'),
    blobs: new BlobStore(db, blobsDir),
    events,
    jobs,
    runner: new JobRunner(jobs, {}, { log: silentLog }),
    version: 'test',
    rendererDir: null,
    allowedPorts: () => [7766],
    ...extra,
  });
  if (reader !== db) app.addHook('onClose', async () => reader.close());
  return { app, token: createSession(db, { admin: true }).token };
}
