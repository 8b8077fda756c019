import type { AddressInfo } from 'node:net';
import type { JobKind } from '../../shared/events.ts';
import { type ApiServer, buildApiServer } from '../api/server.ts';
import { BlobStore } from '../db/blobStore.ts';
import { type IndexDb, openIndex } from '../db/openIndex.ts';
import { JobQueue } from '../sync/jobQueue.ts';
import { type JobHandler, JobRunner } from '../sync/jobRunner.ts';
import { EventBus } from './eventBus.ts';
import { blobsDir, indexPath } from './paths.ts';

export interface CoreConfig {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  version: string;
  rendererDir: string | null;
  /** Handlers per job kind (the sync engines); a kind without one fails its jobs with not_supported. */
  jobHandlers?: Partial<Record<JobKind, JobHandler>>;
}

export interface Core {
  db: IndexDb;
  blobs: BlobStore;
  events: EventBus;
  jobs: JobQueue;
  runner: JobRunner;
  api: ApiServer;
  port: number;
  baseUrl: string;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  readonly code = 'port_in_use';
}

/** The composition root: opens the index and serves the API on 127.0.0.1 (never on other interfaces). */
export async function startCore(config: CoreConfig): Promise<Core> {
  const db = openIndex(indexPath(config.dataDir));
  const blobs = new BlobStore(db, blobsDir(config.dataDir));
  const events = new EventBus();
  const jobs = new JobQueue(db, events);
  const runner = new JobRunner(jobs, config.jobHandlers ?? {});
  let port = config.port;
  const api = await buildApiServer({
    db,
    blobs,
    events,
    jobs,
    runner,
    version: config.version,
    rendererDir: config.rendererDir,
    allowedPorts: () => [port],
  });
  try {
    await api.listen({ host: '127.0.0.1', port: config.port });
  } catch (error) {
    db.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(`port ${config.port} on 127.0.0.1 is already in use (choose another with --port)`);
    }
    throw error;
  }
  port = (api.server.address() as AddressInfo).port;
  // Jobs a previous run left running resume from their last committed cursor.
  jobs.requeueInterrupted();
  runner.wake();
  return {
    db,
    blobs,
    events,
    jobs,
    runner,
    api,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await api.close();
      await runner.stop();
      db.close();
    },
  };
}
