import type { AddressInfo } from 'node:net';
import type { JobKind } from '../../shared/events.ts';
import { type ApiServer, buildApiServer } from '../api/server.ts';
import { type ProviderConfig, providerConfigFromEnv } from '../auth/providerConfig.ts';
import { TokenVault } from '../auth/tokenVault.ts';
import { loadOrCreateVaultKey } from '../auth/vaultKeyFile.ts';
import { BlobStore } from '../db/blobStore.ts';
import { type IndexDb, openIndex } from '../db/openIndex.ts';
import { listAccounts } from '../db/queries/accounts.ts';
import type { GmailQuotaSettings } from '../providers/gmail/gmailSession.ts';
import { JobQueue } from '../sync/jobQueue.ts';
import { type JobHandler, JobRunner } from '../sync/jobRunner.ts';
import { createMailSyncHandler } from '../sync/mailSyncHandler.ts';
import { SyncScheduler } from '../sync/syncScheduler.ts';
import { EventBus } from './eventBus.ts';
import { blobsDir, indexPath, vaultKeyPath } from './paths.ts';

export interface CoreConfig {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  version: string;
  rendererDir: string | null;
  /** Replaces the built-in sync engines per job kind (tests of the API contract). */
  jobHandlers?: Partial<Record<JobKind, JobHandler>>;
  /** The vault's data key: Electron passes one protected by safeStorage; headless uses <dataDir>/vault.key (0600). */
  vaultKey?: Buffer;
  /** Provider endpoints and OAuth clients; default from the environment (OUTPOST_GOOGLE_CLIENT_ID, ...). */
  providers?: ProviderConfig;
  /** Minutes between background syncs per kind, or false to sync only on demand. */
  schedule?: Partial<Record<JobKind, number>> | false;
  /** Attachments larger than this keep metadata only (default 25 MiB). */
  attachmentSizeCap?: number;
  gmailQuota?: GmailQuotaSettings;
}

export interface Core {
  db: IndexDb;
  blobs: BlobStore;
  events: EventBus;
  jobs: JobQueue;
  runner: JobRunner;
  vault: TokenVault;
  providers: ProviderConfig;
  scheduler: SyncScheduler | null;
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
  const vault = new TokenVault(db, config.vaultKey ?? loadOrCreateVaultKey(vaultKeyPath(config.dataDir)));
  const providers = config.providers ?? providerConfigFromEnv();
  const mailSync = createMailSyncHandler({
    db,
    blobs,
    vault,
    events,
    providers,
    attachmentSizeCap: config.attachmentSizeCap ?? 25 * 1024 * 1024,
    gmailQuota: config.gmailQuota,
  });
  const runner = new JobRunner(jobs, { email_sync: mailSync, ...config.jobHandlers });
  const scheduler =
    config.schedule === false
      ? null
      : new SyncScheduler(jobs, runner, {
          intervalMinutes: config.schedule ?? {},
          accounts: () =>
            listAccounts(db)
              .filter((a) => a.status === 'active' && a.provider !== 'local')
              .map((a) => ({ id: a.id, kinds: ['email_sync'] as const })),
        });
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
  scheduler?.start();
  return {
    db,
    blobs,
    events,
    jobs,
    runner,
    vault,
    providers,
    scheduler,
    api,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      scheduler?.stop();
      await api.close();
      await runner.stop();
      db.close();
    },
  };
}
