import type { JobKind } from '../../shared/events.ts';
import { publicId } from '../../shared/ids.ts';
import { type ProviderConfig, providerConfigFromEnv } from '../auth/providerConfig.ts';
import { TokenVault } from '../auth/tokenVault.ts';
import { loadOrCreateVaultKey } from '../auth/vaultKeyFile.ts';
import { respondToEvent } from '../calendar/respondToEvent.ts';
import { BlobStore } from '../db/blobStore.ts';
import { isCorruptionError } from '../db/integrity.ts';
import { openIndex, type WritableDb } from '../db/openIndex.ts';
import type { EventRow } from '../db/queries/calendarEvents.ts';
import { onMailChanges } from '../db/transactions.ts';
import { type LabelManagement, labelManagement } from '../mail/labelManagement.ts';
import { type MessageOriginals, messageOriginals } from '../mail/messageOriginals.ts';
import type { RsvpAnswer } from '../providers/accountProvider.ts';
import { type GmailQuotaSettings, gmailQuotaFromEnv } from '../providers/gmail/gmailSession.ts';
import { ProviderRegistry } from '../providers/registry.ts';
import { accountSendProvider } from '../send/accountSendProvider.ts';
import { pushMailSoon } from '../send/draftSync.ts';
import { SendService } from '../send/sendService.ts';
import { createCalendarSyncHandler } from '../sync/calendarSyncHandler.ts';
import { JobQueue } from '../sync/jobQueue.ts';
import { type JobHandler, JobRunner } from '../sync/jobRunner.ts';
import { createMailSyncHandler } from '../sync/mailSyncHandler.ts';
import { type AccountRemoval, removeAccount } from './accountRemoval.ts';
import { acquireDataDirLock, ensureDataDir } from './dataDirLock.ts';
import { EventBus } from './eventBus.ts';
import {
  asIndexDamage,
  type IndexDamage,
  readDamageNote,
  recordDamage,
  refuseDamagedIndex,
  renewCleanVerdict,
} from './indexCondition.ts';
import { type Log, openLogFile } from './log.ts';
import { blobsDir, indexPath, vaultKeyPath } from './paths.ts';
import { looksPrivate, restrictWindowsAcl, tightenDataDir } from './privateFiles.ts';

export interface EngineConfig {
  dataDir: string;
  /** What holds the data directory's lock, named to whoever is refused it ("outpost serve"; default "Outpost"). */
  holder?: string;
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
  /** The index's one writer. */
  db: WritableDb;
  blobs: BlobStore;
  events: EventBus;
  jobs: JobQueue;
  runner: JobRunner;
  vault: TokenVault;
  /** Every provider of this process (main/providers/registry.ts). */
  providers: ProviderRegistry;
  send: SendService;
  lock: { update(port: number): void; release(): void };
  /** False when the index was too large to check before opening: startCore checks it in the background. */
  indexChecked: boolean;
  /** Called when a sync meets a damaged page of the index (written down already; syncs stopped). */
  onIndexDamage(listener: (damage: IndexDamage) => void): () => void;
  /** Removes an account and what was synced from it (main/core/accountRemoval.ts). */
  removeAccount(accountId: string): Promise<AccountRemoval>;
  /** Answers an invitation at the provider and in the index (main/calendar/respondToEvent.ts). */
  respondToEvent(eventId: number, answer: RsvpAnswer): Promise<EventRow>;
  /** Labels and folders made, renamed and deleted at the provider and in the index (main/mail/labelManagement.ts). */
  labels: LabelManagement;
  /** Messages as they came: kept raw, or fetched from the provider once and kept (main/mail/messageOriginals.ts). */
  originals: MessageOriginals;
  close(): Promise<void>;
}

/**
 * Opens a data directory for syncing: takes its lock (one engine per
 * directory) before anything else, so a newer Outpost never migrates the
 * index under a running older one; then opens and migrates the index and
 * builds the providers, the job runner with the sync handlers, and sending.
 * Jobs a crash left running go back to the queue. A damaged index
 * (main/core/indexCondition.ts) is refused before it is opened for writing
 * (IndexDamagedError): it is never migrated, checkpointed or written.
 */
export function openEngine(config: EngineConfig): Engine {
  const lock = acquireDataDirLock(config.dataDir, null, config.holder);
  let db: WritableDb;
  let indexChecked: boolean;
  try {
    keepPrivate(config.dataDir, config.log);
    indexChecked = refuseDamagedIndex(config.dataDir).checked;
    db = openIndex(indexPath(config.dataDir), { log: config.log.child({ component: 'index' }) });
  } catch (error) {
    lock.release();
    throw asIndexDamage(config.dataDir, error);
  }
  const log = config.log;
  const blobs = new BlobStore(db, blobsDir(config.dataDir));
  const events = new EventBus(log.child({ component: 'events' }));
  // What a committed write changed in the mail, announced to the UI and scripts (mail.changed).
  onMailChanges(db, (changes) => {
    for (const change of changes)
      events.emit({
        type: 'mail.changed',
        account_id: change.accountId,
        thread_ids: change.threadIds.map((id) => publicId('thr', id)),
        removed_thread_ids: change.removedThreadIds.map((id) => publicId('thr', id)),
        what: change.what,
      });
  });
  const jobs = new JobQueue(db, events);
  const vault = new TokenVault(db, config.vaultKey ?? loadOrCreateVaultKey(vaultKeyPath(config.dataDir)));
  const providers = ProviderRegistry.create(config.providers ?? providerConfigFromEnv(), {
    db,
    blobs,
    vault,
    log: log.child({ component: 'providers' }),
    attachmentSizeCap: config.attachmentSizeCap ?? 25 * 1024 * 1024,
    gmailQuota: config.gmailQuota ?? gmailQuotaFromEnv(),
  });
  const syncDeps = { db, events, providers, blobs, log: log.child({ component: 'sync' }) };
  // A sync that meets a damaged page: the damage is written down (every later opening refuses), no further job runs.
  const damageListeners = new Set<(damage: IndexDamage) => void>();
  let damageMet = false;
  const watched =
    (handler: JobHandler): JobHandler =>
    async (job, context) => {
      try {
        return await handler(job, context);
      } catch (error) {
        if (isCorruptionError(error)) {
          damageMet = true;
          const problem = `${(error as Error).message} (${(error as { code?: string }).code})`;
          const damage = readDamageNote(config.dataDir) ?? recordDamage(config.dataDir, [problem]);
          log.error({ problems: damage.problems }, 'the index is damaged: syncs stopped; run outpost repair');
          void runner.stop();
          for (const listener of damageListeners) listener(damage);
        }
        throw error;
      }
    };
  const handlers: Partial<Record<JobKind, JobHandler>> = {
    email_sync: createMailSyncHandler(syncDeps),
    calendar_sync: createCalendarSyncHandler(syncDeps),
    ...config.jobHandlers,
  };
  const runner = new JobRunner(
    jobs,
    Object.fromEntries(Object.entries(handlers).map(([kind, handler]) => [kind, handler && watched(handler)])),
    { log },
  );
  const send = new SendService(db, blobs, (account) => accountSendProvider(account, providers), {
    log: log.child({ component: 'send' }),
    events,
    pushDraftsSoon: (accountId) => pushMailSoon(jobs, runner, accountId),
  });
  jobs.requeueInterrupted();
  return {
    dataDir: config.dataDir,
    log,
    db,
    blobs,
    events,
    jobs,
    runner,
    vault,
    providers,
    send,
    lock,
    indexChecked,
    onIndexDamage(listener) {
      damageListeners.add(listener);
      return () => damageListeners.delete(listener);
    },
    removeAccount: (accountId) => removeAccount({ db, blobs, runner, events, providers }, accountId),
    respondToEvent: (eventId, answer) => respondToEvent({ db, providers }, eventId, answer),
    labels: labelManagement({ db, providers, events }),
    originals: messageOriginals({ db, blobs, providers }),
    async close() {
      await runner.stop();
      db.close();
      // Opened clean (checked or on a kept verdict) and no damage met since: the verdict carries over, still under the lock.
      if (indexChecked && !damageMet) renewCleanVerdict(config.dataDir);
      lock.release();
    },
  };
}

/**
 * Installs from before Outpost set modes itself (or loosened by hand) are
 * made private at start: one walk, directories 0700 and files 0600, when the
 * top of the directory or a folder under blobs/ is not private already
 * (looksPrivate); on Windows the directory's ACL is limited to the user.
 */
function keepPrivate(dataDir: string, log: Log): void {
  if (process.platform === 'win32') {
    try {
      restrictWindowsAcl(dataDir);
    } catch (error) {
      log.warn({ err: error, dataDir }, 'could not limit the data directory to this user (icacls)');
    }
    return;
  }
  // Already private at the top and in blobs/ (every start after the first): no walk over every stored file.
  if (looksPrivate(dataDir)) return;
  const done = tightenDataDir(dataDir);
  if (done.changed > 0 || done.refused.length > 0)
    log.info(
      { dataDir, changed: done.changed, refused: done.refused.slice(0, 20), files: done.files, ms: Math.round(done.ms) },
      'made the data directory private (directories 0700, files 0600)',
    );
}
