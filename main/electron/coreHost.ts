// Runs inside Electron's utility process (utilityProcess.fork): the core,
// off the main thread, talking to the Electron main over parentPort. The
// vault key arrives in the first message (never on the command line, where
// other local users could read it).
import type { CoreEvent } from '../../shared/events.ts';
import { createSession } from '../api/auth/sessions.ts';
import { startDamagedServer } from '../api/damagedServer.ts';
import { IndexDamagedError } from '../core/indexCondition.ts';
import { appVersion, builtRendererDir } from '../core/paths.ts';
import { type Core, startCore } from '../core/startCore.ts';
import { listAccounts } from '../db/queries/accounts.ts';
import { inboxUnreadThreadCount } from '../db/queries/labels.ts';
import { describeProvider } from '../providers/descriptions.ts';
import { SyncInProgressError } from '../sync/jobQueue.ts';

export type CoreHostRequest =
  | { type: 'start'; dataDir: string; vaultKeyBase64: string }
  | { type: 'syncNow' }
  | { type: 'shutdown' };

export type CoreHostMessage =
  | { type: 'ready'; baseUrl: string; sessionToken: string }
  | { type: 'failed'; message: string }
  /** New unread inbox mail, for notifications. */
  | { type: 'mail'; messages: Extract<CoreEvent, { type: 'mail.received' }>['messages'] }
  /** Inbox threads with unread mail, for the tray and the dock badge. */
  | { type: 'unread'; count: number };

const UNREAD_POLL_MS = 10_000;

const parentPort = process.parentPort;
let core: Core | null = null;
let shutdown: (() => Promise<void>) | null = null;

parentPort.on('message', (event: { data: CoreHostRequest }) => {
  const request = event.data;
  if (request.type === 'start' && !shutdown) {
    start(request).catch((error: Error) => {
      parentPort.postMessage({ type: 'failed', message: error.message } satisfies CoreHostMessage);
      process.exit(1);
    });
  } else if (request.type === 'syncNow') {
    syncNow();
  } else if (request.type === 'shutdown') {
    void (shutdown ?? (async () => {}))().then(() => process.exit(0));
  }
});

async function start(request: Extract<CoreHostRequest, { type: 'start' }>): Promise<void> {
  let started: Core;
  try {
    started = await startCore({
      dataDir: request.dataDir,
      port: 0,
      version: appVersion(),
      rendererDir: builtRendererDir(),
      vaultKey: Buffer.from(request.vaultKeyBase64, 'base64'),
    });
  } catch (error) {
    if (!(error instanceof IndexDamagedError)) throw error;
    return startDamaged(request.dataDir, error);
  }
  core = started;
  // Local actions (archive, read) change the count as well as syncs: a cheap query, polled and on events.
  let lastUnread = -1;
  const postUnread = () => {
    const count = inboxUnreadThreadCount(started.db);
    if (count !== lastUnread) parentPort.postMessage({ type: 'unread', count } satisfies CoreHostMessage);
    lastUnread = count;
  };
  const unsubscribe = started.events.subscribe((event) => {
    if (event.type === 'mail.received')
      parentPort.postMessage({ type: 'mail', messages: event.messages } satisfies CoreHostMessage);
    if (event.type === 'mail.received' || event.type === 'email.sync.completed') postUnread();
  });
  const poll = setInterval(postUnread, UNREAD_POLL_MS);
  shutdown = async () => {
    clearInterval(poll);
    unsubscribe();
    await started.close();
  };
  const session = createSession(started.db, { admin: true });
  parentPort.postMessage({ type: 'ready', baseUrl: started.baseUrl, sessionToken: session.token } satisfies CoreHostMessage);
  postUnread();
}

/**
 * A damaged index: as `outpost serve` does, nothing opens it; the window shows
 * the UI, whose banner reads the damage from GET /v1/health and names
 * `outpost repair`. There is no session (no index to hold one): every other
 * route answers index_corrupt.
 */
async function startDamaged(dataDir: string, error: IndexDamagedError): Promise<void> {
  const server = await startDamagedServer({
    dataDir,
    port: 0,
    version: appVersion(),
    rendererDir: builtRendererDir(),
    damage: error.damage,
  });
  shutdown = () => server.close();
  parentPort.postMessage({ type: 'ready', baseUrl: server.baseUrl, sessionToken: '' } satisfies CoreHostMessage);
}

/** The tray's and menu's "Sync now": an incremental mail sync of every active account (one already running suffices). */
function syncNow(): void {
  if (!core) return;
  const accountIds = listAccounts(core.db)
    .filter((a) => a.status === 'active' && describeProvider(a.provider).capabilities.sync)
    .map((a) => a.id);
  if (accountIds.length === 0) return;
  try {
    core.jobs.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds });
    core.runner.wake();
  } catch (error) {
    if (!(error instanceof SyncInProgressError)) throw error;
  }
}
