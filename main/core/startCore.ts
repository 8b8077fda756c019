import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import type { JobKind } from '../../shared/events.ts';
import type { RateLimitConfig } from '../api/rateLimits.ts';
import type { EmailSendService } from '../api/sendContract.ts';
import { type ApiServer, buildApiServer } from '../api/server.ts';
import { WebhookWorker } from '../api/webhooks/webhookWorker.ts';
import { openReader, type ReadableDb } from '../db/openIndex.ts';
import { listAccounts } from '../db/queries/accounts.ts';
import { reindexStoredMessages } from '../mail/reindexStoredMessages.ts';
import { apiSendService } from '../send/apiSendService.ts';
import { SyncScheduler, scheduledAccounts } from '../sync/syncScheduler.ts';
import { AccountConnector } from './accountConnector.ts';
import { ConnectivityWatch } from './connectivityWatch.ts';
import { watchIndexDamage } from './damageWatch.ts';
import { type Engine, type EngineConfig, openEngine, openLoggedEngine } from './engine.ts';
import { type Log, logDir } from './log.ts';
import { NewMailWatch } from './newMailWatch.ts';
import { OutpostError } from './outpostError.ts';

export interface CoreConfig extends Omit<EngineConfig, 'log'> {
  /** Default: the data directory's log file (main/core/log.ts), opened here and closed with the core. */
  log?: Log;
  /** 0 picks a free port. */
  port: number;
  version: string;
  rendererDir: string | null;
  /** Minutes between background syncs per kind, or false to sync only on demand. */
  schedule?: Partial<Record<JobKind, number>> | false;
  /** Overrides of the local API's rate limits (main/api/rateLimits.ts). */
  rateLimits?: Partial<RateLimitConfig>;
  /** Replaces the send engine behind POST /v1/email/send (tests of the HTTP contract). */
  send?: EmailSendService;
  /** Folders whose files may be attached by storage_path (default: <dataDir>/attachments and $OUTPOST_ATTACHMENT_DIRS). */
  attachmentRoots?: readonly string[];
  /** How often the webhook worker looks for due deliveries (default 2 s). */
  webhookPollMs?: number;
}

export interface Core extends Engine {
  scheduler: SyncScheduler | null;
  api: ApiServer;
  port: number;
  baseUrl: string;
}

/** The composition root: the engine of a data directory, its scheduler, and the API on 127.0.0.1 (never other interfaces). */
export async function startCore(config: CoreConfig): Promise<Core> {
  const engine = config.log ? openEngine({ ...config, log: config.log }) : await openLoggedEngine(config);
  const connector = new AccountConnector(engine);
  const attachmentRoots = config.attachmentRoots ?? defaultAttachmentRoots(config.dataDir);
  let port = config.port;
  let api: ApiServer;
  let damageWatch: ReturnType<typeof watchIndexDamage> | null = null;
  let scheduler: SyncScheduler | null = null;
  let webhooks: WebhookWorker | null = null;
  let deliveryTimer: NodeJS.Timeout | undefined;
  // The API's read routes get their own read-only connection: a read can never write, and reads do not queue behind the writer.
  let reader: ReadableDb = engine.db;
  let damaged = false;
  // Messages stored before the index searched their other parts are read again in the background (stopped on close).
  const reindexing = new AbortController();
  let reindexed: Promise<unknown> = Promise.resolve();
  const deliverQueued = () => {
    if (!damaged)
      void engine.send.outbox.deliverDue().catch((error: Error) => engine.log.error({ err: error }, 'outbox delivery failed'));
  };
  try {
    reader = openReader(engine.db, { log: engine.log });
    api = await buildApiServer({
      reader,
      writer: engine.db,
      log: engine.log,
      logDir: logDir(config.dataDir),
      blobs: engine.blobs,
      events: engine.events,
      jobs: engine.jobs,
      runner: engine.runner,
      version: config.version,
      rendererDir: config.rendererDir,
      allowedPorts: () => [port],
      ...(config.rateLimits ? { rateLimits: config.rateLimits } : {}),
      send: config.send ?? apiSendService(engine.send, attachmentRoots),
      attachmentRoots,
      connectAccount: (provider) => connector.start(provider),
      removeAccount: engine.removeAccount,
      respondToEvent: engine.respondToEvent,
      labels: engine.labels,
      originals: engine.originals,
      outbox: engine.send.outbox,
      deliverNow: deliverQueued,
    });
    // Damage found after opening (the background check of a large index, SQLITE_CORRUPT in a request) stops every writer.
    damageWatch = watchIndexDamage({
      dataDir: config.dataDir,
      api,
      log: engine.log.child({ component: 'index' }),
      checkInBackground: !engine.indexChecked,
      engineDamage: engine.onIndexDamage,
      onDamage: () => {
        damaged = true;
        reindexing.abort();
        clearInterval(deliveryTimer);
        scheduler?.stop();
        void webhooks?.stop();
        void engine.runner.stop();
      },
    });
    await api.listen({ host: '127.0.0.1', port: config.port });
  } catch (error) {
    damageWatch?.stop();
    if (reader !== engine.db) reader.close();
    await engine.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new OutpostError('port_in_use', `port ${config.port} on 127.0.0.1 is already in use (choose another with --port)`);
    }
    throw error;
  }
  port = (api.server.address() as AddressInfo).port;
  engine.lock.update(port);
  scheduler =
    config.schedule === false
      ? null
      : new SyncScheduler(engine.jobs, engine.runner, {
          intervalMinutes: config.schedule ?? {},
          accounts: () => scheduledAccounts(listAccounts(engine.db)),
          log: engine.log.child({ component: 'scheduler' }),
        });
  // New inbox mail after each mail sync: one `mail.received` event (notifications, scripts).
  const newMail = new NewMailWatch(engine.db);
  const unsubscribeNewMail = engine.events.subscribe((event) => {
    if (event.type !== 'email.sync.completed' && event.type !== 'email.sync.failed') return;
    const messages = newMail.take();
    if (messages.length > 0) engine.events.emit({ type: 'mail.received', messages });
  });
  // Network back or machine awake after sleep: sync now rather than at the next interval.
  const connectivity = scheduler ? new ConnectivityWatch({ onRegain: () => scheduler.nudge() }) : null;
  engine.runner.wake();
  scheduler?.start();
  connectivity?.start();
  webhooks = new WebhookWorker(engine.db, engine.events, {
    log: engine.log.child({ component: 'webhooks' }),
    pollMs: config.webhookPollMs,
  });
  webhooks.start();
  // Mail a crash left half-sent is settled first; queued mail then goes out, and again every 30 s (offline, outages).
  void engine.send.outbox
    .reconcileUncertain()
    .catch((error: Error) => engine.log.error({ err: error }, 'outbox reconcile failed'))
    .then(deliverQueued);
  deliveryTimer = setInterval(deliverQueued, 30_000);
  deliveryTimer.unref();
  const reindexLog = engine.log.child({ component: 'reindex' });
  reindexed = reindexStoredMessages(
    { db: engine.db, blobs: engine.blobs, log: reindexLog },
    { batchSize: 200, signal: reindexing.signal },
  ).catch((error: Error) => reindexLog.error({ err: error }, 'reading stored messages again failed; the next start resumes'));
  return {
    ...engine,
    scheduler,
    api,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      clearInterval(deliveryTimer);
      reindexing.abort();
      await reindexed;
      damageWatch?.stop();
      unsubscribeNewMail();
      connectivity?.stop();
      connector.stop();
      scheduler?.stop();
      await webhooks?.stop();
      await api.close();
      if (reader !== engine.db) reader.close();
      await engine.close();
    },
  };
}

/** Where storage_path attachments may come from: Outpost's own attachments folder, plus folders the user lists. */
export function defaultAttachmentRoots(dataDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const extra = (env.OUTPOST_ATTACHMENT_DIRS ?? '').split(delimiter).filter(Boolean);
  return [join(dataDir, 'attachments'), ...extra];
}
