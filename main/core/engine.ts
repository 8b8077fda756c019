import type { JobKind } from '../../shared/events.ts';
import { type ProviderConfig, providerConfigFromEnv } from '../auth/providerConfig.ts';
import { TokenVault } from '../auth/tokenVault.ts';
import { loadOrCreateVaultKey } from '../auth/vaultKeyFile.ts';
import { BlobStore } from '../db/blobStore.ts';
import { type IndexDb, openIndex } from '../db/openIndex.ts';
import { type GmailQuotaSettings, gmailQuotaFromEnv } from '../providers/gmail/gmailSession.ts';
import { accountSendProvider } from '../send/accountSendProvider.ts';
import { SendService } from '../send/sendService.ts';
import { createCalendarSyncHandler } from '../sync/calendarSyncHandler.ts';
import { JobQueue } from '../sync/jobQueue.ts';
import { type JobHandler, JobRunner } from '../sync/jobRunner.ts';
import { createMailSyncHandler } from '../sync/mailSyncHandler.ts';
import { type AccountRemoval, removeAccount } from './accountRemoval.ts';
import { acquireDataDirLock, ensureDataDir } from './dataDirLock.ts';
import { EventBus } from './eventBus.ts';
import { type Log, openLogFile } from './log.ts';
import { blobsDir, indexPath, vaultKeyPath } from './paths.ts';

export interface EngineConfig {
  dataDir: string;
  /** The core's log (main/core/log.ts): the composition root opens the data directory's log file and passes it down. */
  log: Log;
  /** Replaces the built-in sync engines per job kind (tests of the API contract). */
  jobHandlers?: Partial<Record<JobKind, JobHandler>>;
  /** The vault's data key: Electron passes one protected by safeStorage; headless uses <dataDir>/vault.key (0600). */
  vaultKey?: Buffer;
  /** Provider endpoints and OAuth clients; default from the environment (OUTPOST_GOOGLE_CLIENT_ID, ...). */
  providers?: ProviderConfig;
  /** Attachments larger than this keep metadata only (default 25 MiB). */
  attachmentSizeCap?: number;
  /** Default: Gmail's per-user limit, or OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND. */
  gmailQuota?: GmailQuotaSettings;
}

/**
 * openEngine with the data directory's own log file (`<dataDir>/logs/`),
 * closed with the engine: what `outpost serve`, `outpost sync` and the
 * desktop core use.
 */
export async function openLoggedEngine(config: Omit<EngineConfig, 'log'>): Promise<Engine> {
  ensureDataDir(config.dataDir);
  const file = await openLogFile(config.dataDir);
  let engine: Engine;
  try {
    engine = openEngine({ ...config, log: file.log });
  } catch (error) {
    await file.close();
    throw error;
  }
  return {
    ...engine,
    async close() {
      await engine.close();
      await file.close();
    },
  };
}

/** The index, the vault and the sync machinery of one data directory, without the HTTP server. */
export interface Engine {
  dataDir: string;
  log: Log;
  db: IndexDb;
  blobs: BlobStore;
  events: EventBus;
  jobs: JobQueue;
  runner: JobRunner;
  vault: TokenVault;
  providers: ProviderConfig;
  send: SendService;
  lock: { update(port: number): void; release(): void };
  /** Removes an account and what was synced from it (main/core/accountRemoval.ts). */
  removeAccount(accountId: string): Promise<AccountRemoval>;
  close(): Promise<void>;
}

/**
 * Opens a data directory for syncing: takes its lock (one engine per
 * directory) before anything else, so a newer Outpost never migrates the
 * index under a running older one; then opens and migrates the index and
 * builds the job runner with the provider sync engines. Jobs a crash left
 * running go back to the queue.
 */
export function openEngine(config: EngineConfig): Engine {
  const lock = acquireDataDirLock(config.dataDir, null);
  let db: IndexDb;
  try {
    db = openIndex(indexPath(config.dataDir), { log: config.log });
  } catch (error) {
    lock.release();
    throw error;
  }
  const blobs = new BlobStore(db, blobsDir(config.dataDir));
  const events = new EventBus();
  const jobs = new JobQueue(db, events);
  const vault = new TokenVault(db, config.vaultKey ?? loadOrCreateVaultKey(vaultKeyPath(config.dataDir)));
  const providers = config.providers ?? providerConfigFromEnv();
  const syncDeps = {
    db,
    blobs,
    vault,
    events,
    providers,
    attachmentSizeCap: config.attachmentSizeCap ?? 25 * 1024 * 1024,
    gmailQuota: config.gmailQuota ?? gmailQuotaFromEnv(),
  };
  const runner = new JobRunner(jobs, {
    email_sync: createMailSyncHandler(syncDeps),
    calendar_sync: createCalendarSyncHandler(syncDeps),
    ...config.jobHandlers,
  });
  const send = new SendService(
    db,
    blobs,
    (account) => accountSendProvider(account, providers, vault),
    // Emitted inside the transaction that marks the row sent, so a webhook delivery is recorded with it or not at all.
    (row) => {
      events.emit({ type: 'outbox.updated', id: row.id, status: row.status });
      if (row.status !== 'sent') return;
      events.emit({
        type: 'email.sent',
        message: {
          id: row.id,
          account_id: row.account_id,
          provider_message_id: row.provider_message_id,
          provider_thread_id: row.provider_thread_id,
          rfc822_message_id: row.rfc822_message_id,
          sent_at: new Date(row.sent_at ?? Date.now()).toISOString(),
        },
      });
    },
  );
  jobs.requeueInterrupted();
  return {
    dataDir: config.dataDir,
    log: config.log,
    db,
    blobs,
    events,
    jobs,
    runner,
    vault,
    providers,
    send,
    lock,
    removeAccount: (accountId) => removeAccount({ db, blobs, runner, vault, events, google: providers.google }, accountId),
    async close() {
      await runner.stop();
      db.close();
      lock.release();
    },
  };
}
