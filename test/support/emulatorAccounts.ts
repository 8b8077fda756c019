import { createApiKey, type Scope } from '../../main/api/auth/apiKeys.ts';
import type { GoogleConfig, MicrosoftConfig } from '../../main/auth/providerConfig.ts';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { type Log, silentLog } from '../../main/core/log.ts';
import type { IndexDb } from '../../main/db/openIndex.ts';
import type { JobMode } from '../../shared/events.ts';
import type { RunningEmulator } from '../emulator/index.ts';

/** The product's Google configuration pointed at a running emulator. */
export function googleConfigFor(baseUrl: string): GoogleConfig {
  return {
    clientId: 'outpost-test.apps.googleusercontent.com',
    clientSecret: 'not-secret-for-installed-apps',
    authUrl: `${baseUrl}/o/oauth2/v2/auth`,
    tokenUrl: `${baseUrl}/token`,
    revokeUrl: `${baseUrl}/revoke`,
    apiRootUrl: `${baseUrl}/`,
  };
}

/** The product's Microsoft configuration pointed at a running emulator. */
export function microsoftConfigFor(baseUrl: string): MicrosoftConfig {
  return {
    clientId: '11111111-2222-3333-4444-555555555555',
    authority: `${baseUrl}/common`,
    knownAuthorities: [new URL(baseUrl).host],
    graphBaseUrl: `${baseUrl}/v1.0`,
  };
}

/** The same configuration as environment variables, for `outpost` processes (main/auth/providerConfig.ts). */
export function providerEnvFor(baseUrl: string): Record<string, string> {
  const google = googleConfigFor(baseUrl);
  const microsoft = microsoftConfigFor(baseUrl);
  return {
    OUTPOST_GOOGLE_CLIENT_ID: google.clientId,
    OUTPOST_GOOGLE_CLIENT_SECRET: google.clientSecret ?? '',
    OUTPOST_GOOGLE_AUTH_URL: google.authUrl,
    OUTPOST_GOOGLE_TOKEN_URL: google.tokenUrl,
    OUTPOST_GOOGLE_REVOKE_URL: google.revokeUrl,
    OUTPOST_GOOGLE_API_ROOT: google.apiRootUrl,
    OUTPOST_MICROSOFT_CLIENT_ID: microsoft.clientId,
    OUTPOST_MICROSOFT_AUTHORITY: microsoft.authority,
    OUTPOST_MICROSOFT_KNOWN_AUTHORITIES: microsoft.knownAuthorities.join(','),
    OUTPOST_GRAPH_BASE_URL: microsoft.graphBaseUrl,
  };
}

/**
 * A "browser" for auto-consent: follows the consent page's redirect back to
 * the app's loopback listener, as the user's browser would.
 */
export async function autoConsentBrowser(url: string): Promise<void> {
  let next = url;
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(next, { redirect: 'manual' });
    const location = response.headers.get('location');
    await response.arrayBuffer();
    if (!location) return;
    next = new URL(location, next).toString();
  }
}

export interface GmailSnapshotMessage {
  id: string;
  threadId: string;
  labelIds: string[];
}

/** The index's view of an account in the emulator snapshot's terms: id, thread and labels (UNREAD/STARRED/... as labels). */
export function indexAsGmailSnapshot(db: IndexDb, accountId: string): GmailSnapshotMessage[] {
  const rows = db
    .prepare(
      `SELECT m.id AS row, m.remote_id AS id, t.remote_id AS threadId, m.is_unread
       FROM messages m JOIN threads t ON t.id = m.thread_id WHERE m.account_id = ?`,
    )
    .all(accountId) as Array<{ row: number; id: string; threadId: string; is_unread: number }>;
  const labelsOf = db
    .prepare('SELECT l.remote_id FROM message_labels ml JOIN labels l ON l.id = ml.label_id WHERE ml.message_id = ?')
    .pluck();
  return rows
    .map((r) => ({
      id: r.id,
      threadId: r.threadId,
      labelIds: [...(labelsOf.all(r.row) as string[]), ...(r.is_unread ? ['UNREAD'] : [])].sort(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export function normalizeSnapshot(messages: GmailSnapshotMessage[]): GmailSnapshotMessage[] {
  return messages
    .map((m) => ({ id: m.id, threadId: m.threadId, labelIds: [...m.labelIds].sort() }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export interface GraphSnapshotMessage {
  id: string;
  conversationId: string;
  parentFolderId: string;
  isRead: boolean;
  flagStatus: string;
  categories: string[];
}

/** The index's view of an Outlook account in the emulator snapshot's terms. */
export function indexAsGraphSnapshot(
  db: IndexDb,
  accountId: string,
): Array<Omit<GraphSnapshotMessage, 'flagStatus'> & { flagged: boolean }> {
  const rows = db
    .prepare(
      `SELECT m.id AS row, m.remote_id AS id, t.remote_id AS conversationId, m.is_unread, m.is_starred
       FROM messages m JOIN threads t ON t.id = m.thread_id WHERE m.account_id = ?`,
    )
    .all(accountId) as Array<{ row: number; id: string; conversationId: string; is_unread: number; is_starred: number }>;
  const labelsOf = db.prepare(
    'SELECT l.remote_id, l.kind FROM message_labels ml JOIN labels l ON l.id = ml.label_id WHERE ml.message_id = ?',
  );
  return rows
    .map((r) => {
      const labels = labelsOf.all(r.row) as Array<{ remote_id: string; kind: string }>;
      return {
        id: r.id,
        conversationId: r.conversationId,
        parentFolderId: labels.find((l) => l.kind === 'folder')?.remote_id ?? '',
        isRead: r.is_unread === 0,
        flagged: r.is_starred === 1,
        categories: labels
          .filter((l) => l.kind === 'category')
          .map((l) => l.remote_id.slice('category:'.length))
          .sort(),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

export function normalizeGraphSnapshot(messages: GraphSnapshotMessage[]) {
  return messages
    .map((m) => ({
      id: m.id,
      conversationId: m.conversationId,
      parentFolderId: m.parentFolderId,
      isRead: m.isRead,
      flagged: m.flagStatus === 'flagged',
      categories: [...m.categories].sort(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Calls the emulator's control API (JSON in, JSON out); a failing call fails the test with its answer. */
export function emulatorControl(emulator: RunningEmulator) {
  return async (path: string, init: { method?: string; body?: unknown } = {}): Promise<Record<string, unknown>> => {
    const response = await fetch(`${emulator.controlUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
}

/** Queues a mail sync of one account and waits until the engine is idle; returns the finished job. */
export async function runMailSync(engine: Engine, accountId: string, mode: JobMode = 'incremental') {
  const job = engine.jobs.enqueue({ kind: 'email_sync', mode, accountIds: [accountId] });
  engine.runner.wake();
  await engine.runner.idle();
  return engine.jobs.get(job.id);
}

/**
 * A data directory with the emulator's Google user connected through the real loopback flow
 * (auto consent) and its first sync run, mail or calendars; the engine is closed again, so a
 * process (`outpost serve`) can open the directory next. Returns the finished sync job.
 */
/**
 * An engine on `dataDir` with the emulator's Google user connected (no sync
 * yet), Gmail's pacing at `unitsPerSecond` (by default too high to matter):
 * where the in-process Gmail sync tests start. The caller closes the engine.
 */
export async function openGoogleEngine(
  dataDir: string,
  emulator: RunningEmulator,
  options: { unitsPerSecond?: number; log?: Log } = {},
): Promise<{ engine: Engine; accountId: string }> {
  const engine = openEngine({
    log: options.log ?? silentLog,
    dataDir,
    providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
    gmailQuota: { unitsPerSecond: options.unitsPerSecond ?? 1_000_000 },
  });
  const account = await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
  return { engine, accountId: account.id };
}

export async function connectGoogleInto(dataDir: string, emulator: RunningEmulator, sync: 'email_sync' | 'calendar_sync') {
  const config = googleConfigFor(emulator.baseUrl);
  const engine = openEngine({ log: silentLog, dataDir, providers: { google: config, microsoft: null } });
  try {
    const account = await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
    if (sync === 'email_sync') return await runMailSync(engine, account.id);
    const job = engine.jobs.enqueue({ kind: 'calendar_sync', mode: 'full', accountIds: [account.id], params: {} });
    engine.runner.wake();
    await engine.runner.idle();
    return engine.jobs.get(job.id);
  } finally {
    await engine.close();
  }
}

/**
 * A data directory with the emulator's Google user connected (no sync) and an
 * API key with these scopes, the engine closed again so `outpost serve` can
 * open the directory: where the tests that kill a serving process start.
 */
export async function connectGoogleWithKey(dataDir: string, emulator: RunningEmulator, scopes: Scope[]): Promise<string> {
  const engine = openEngine({
    log: silentLog,
    dataDir,
    providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
  });
  try {
    await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
    return createApiKey(engine.db, 'test', scopes).key;
  } finally {
    await engine.close();
  }
}

/** The emulator's Gmail mailbox of one user, in the comparable shape of indexAsGmailSnapshot. */
export async function remoteGmailSnapshot(emulator: RunningEmulator, email: string): Promise<GmailSnapshotMessage[]> {
  const snapshot = (await emulatorControl(emulator)('/snapshot')) as {
    google: Record<string, { messages: GmailSnapshotMessage[] }>;
  };
  return normalizeSnapshot(snapshot.google[email]?.messages ?? []);
}

/** The emulator's Outlook mailbox of one user, in the comparable shape of indexAsGraphSnapshot. */
export async function remoteGraphSnapshot(emulator: RunningEmulator, upn: string) {
  const snapshot = (await emulatorControl(emulator)('/snapshot')) as {
    microsoft: { users: Array<{ upn: string; messages: GraphSnapshotMessage[] }> };
  };
  return normalizeGraphSnapshot(snapshot.microsoft.users.find((u) => u.upn === upn)?.messages ?? []);
}

/** A Gmail user's SENT mail, read straight from the emulator (newest first, at most 50): id, thread, raw bytes. */
export async function gmailSentMail(
  emulator: RunningEmulator,
  email: string,
): Promise<Array<{ id: string; threadId: string; raw: Buffer }>> {
  const minted = (await emulatorControl(emulator)('/google/tokens', {
    method: 'POST',
    body: { email, scopes: ['https://mail.google.com/'] },
  })) as { access_token: string };
  const get = async (path: string) =>
    (await (
      await fetch(`${emulator.baseUrl}/gmail/v1/users/me/${path}`, {
        headers: { authorization: `Bearer ${minted.access_token}` },
      })
    ).json()) as Record<string, unknown>;
  const list = ((await get('messages?labelIds=SENT&maxResults=50')).messages ?? []) as Array<{ id: string; threadId: string }>;
  return Promise.all(
    list.map(async (m) => ({
      ...m,
      raw: Buffer.from(((await get(`messages/${m.id}?format=raw`)) as { raw: string }).raw, 'base64url'),
    })),
  );
}
