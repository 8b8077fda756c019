import { join } from 'node:path';
import { createApiKey, type Scope } from '../../main/api/auth/apiKeys.ts';
import { createSession } from '../../main/api/auth/sessions.ts';
import type { RateLimitConfig } from '../../main/api/rateLimits.ts';
import type { EmailSendService } from '../../main/api/sendContract.ts';
import { type ApiServer, buildApiServer } from '../../main/api/server.ts';
import { removeAccount } from '../../main/core/accountRemoval.ts';
import { EventBus } from '../../main/core/eventBus.ts';
import { type Log, silentLog } from '../../main/core/log.ts';
import { BlobStore } from '../../main/db/blobStore.ts';
import { openReader, type WritableDb } from '../../main/db/openIndex.ts';
import type { Outbox } from '../../main/send/outbox.ts';
import { JobQueue } from '../../main/sync/jobQueue.ts';
import { type JobHandler, JobRunner } from '../../main/sync/jobRunner.ts';
import { offlineProviders } from './offlineProviders.ts';
// Every response of the API built here is checked against its /openapi.json (test/support/apiContract.ts).
import './apiContract.ts';

export interface LocalApiHarness {
  app: ApiServer;
  jobs: JobQueue;
  runner: JobRunner;
  events: EventBus;
  adminSession: string;
  /** A fresh wbk_ key with these scopes. */
  key(...scopes: Scope[]): string;
}

/** The API over an index with the given job handlers and rate limits, driven by inject(). */
export async function buildLocalApi(
  db: WritableDb,
  blobsDir: string,
  options: {
    handlers?: Partial<Record<'email_sync' | 'calendar_sync', JobHandler>>;
    rateLimits?: Partial<RateLimitConfig>;
    send?: EmailSendService;
    attachmentRoots?: string[];
    /** An outbox over the same index and blob folder (its provider faked by the test). */
    outbox?: (blobs: BlobStore) => Outbox;
    deliverNow?: () => void;
    /** Where the API logs (default: nowhere); a memoryLog lets a test read what was logged. */
    log?: Log;
  } = {},
): Promise<LocalApiHarness> {
  const events = new EventBus(silentLog);
  const jobs = new JobQueue(db, events);
  const runner = new JobRunner(jobs, options.handlers ?? {}, { log: silentLog });
  const blobs = new BlobStore(db, blobsDir);
  const reader = openReader(db);
  const app = await buildApiServer({
    reader,
    writer: db,
    log: options.log ?? silentLog,
    logDir: join(blobsDir, 'logs'),
    blobs,
    events,
    jobs,
    runner,
    version: 'test',
    rendererDir: null,
    allowedPorts: () => [7766],
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.send ? { send: options.send } : {}),
    ...(options.attachmentRoots ? { attachmentRoots: options.attachmentRoots } : {}),
    ...(options.outbox ? { outbox: options.outbox(blobs) } : {}),
    ...(options.deliverNow ? { deliverNow: options.deliverNow } : {}),
    // The real removal over the harness's index (no provider to revoke at).
    removeAccount: (accountId) => removeAccount({ db, blobs, runner, events, providers: offlineProviders(db, blobs) }, accountId),
  });
  if (reader !== db) app.addHook('onClose', async () => reader.close());
  return {
    app,
    jobs,
    runner,
    events,
    adminSession: createSession(db, { admin: true }).token,
    key: (...scopes) => createApiKey(db, 'test', scopes).key,
  };
}
