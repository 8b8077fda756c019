import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/core/engine.ts';
import { gmailFor, signIn } from '../emulator/google/harness.ts';
import type { RunningEmulator } from '../emulator/index.ts';
import { seededRandom } from '../emulator/kit/faults.ts';
import { signIn as graphSignIn } from '../emulator/microsoft/testAuth.ts';
import {
  emulatorControl,
  indexAsGmailSnapshot,
  indexAsGraphSnapshot,
  remoteGmailSnapshot,
  remoteGraphSnapshot,
  runMailSync,
} from '../support/emulatorAccounts.ts';
import { openBothProviders, pick, propertyRun, propertyTimeout, type Rng, userThreadAction } from '../support/propertyRuns.ts';
import { makeTempDir } from '../support/tempDir.ts';

const GMAIL_USER = 'alice@gmail.test';
const OUTLOOK_USER = 'bob@contoso.test';
// OUTPOST_PROPERTY_ROUNDS=1000 is the nightly size (README, Developing).
const { seed: SEED, rounds: ROUNDS } = propertyRun(50);

type Control = (path: string, init?: { method?: string; body?: unknown }) => Promise<Record<string, unknown>>;
/**
 * Random rounds of what other clients do to a mailbox (through the emulator's
 * control routes, and through Gmail's and Graph's own APIs: drafts, batchDelete,
 * threads, labels renamed and deleted, mail folders), mixed with what the user
 * does to it in Outpost (thread actions, pushed by the sync), each round
 * followed by an incremental sync; after every round the index must equal the
 * mailbox, and its label and folder names the provider's. A failure names the
 * seed and round (rerun with OUTPOST_PROPERTY_SEED).
 */
describe(`random mailbox mutations + incremental syncs converge every round (seed ${SEED})`, () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let gmailAccount: string;
  let outlookAccount: string;
  let control: Control;
  /** Another Gmail client (googleapis, full scope): drafts, batchDelete, threads, label renames and deletes. */
  let otherGmail: ReturnType<typeof gmailFor>;
  /** Another Outlook client (Graph, bob's token): mail folders created, renamed and deleted. */
  let otherGraph: Graph;

  beforeAll(async () => {
    ({ emulator, engine, googleAccount: gmailAccount, outlookAccount } = await openBothProviders(dir.path, 250));
    control = emulatorControl(emulator);
    otherGmail = gmailFor(emulator, await signIn(emulator, ['https://mail.google.com/']));
    otherGraph = graphClient(emulator.baseUrl, await graphSignIn(emulator.baseUrl));
    for (const account of [gmailAccount, outlookAccount]) {
      const job = await runMailSync(engine, account);
      expect(job, JSON.stringify(job?.error)).toMatchObject({ status: 'succeeded' });
    }
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  /**
   * The rounds: each step is, by a roll, Outpost's own thread action (a fifth), another client's API
   * call (up to `apiShare`) or a control-route mutation; then an incremental sync, then `compare`.
   */
  const rounds = async (
    accountId: string,
    rng: Rng,
    viaApi: (rng: Rng, serial: number) => Promise<string>,
    viaControl: (rng: Rng, serial: number) => Promise<string>,
    compare: (context: string) => Promise<void>,
    apiShare: number,
  ) => {
    let serial = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const ops: string[] = [];
      for (let n = 1 + Math.floor(rng() * 5); n > 0; n--) {
        const roll = rng();
        ops.push(
          roll < 0.2
            ? userThreadAction(engine, accountId, rng)
            : roll < apiShare
              ? await viaApi(rng, ++serial)
              : await viaControl(rng, ++serial),
        );
      }
      const job = await runMailSync(engine, accountId);
      const context = `seed ${SEED}, round ${round}: ${ops.join('; ')}`;
      expect(job?.error, context).toBeNull();
      await compare(context);
    }
  };

  it(
    `Gmail, ${ROUNDS} rounds: adds, replies, label changes, read flips, trash, deletes, new labels, another client's drafts, batchDelete, threads and label renames/deletes, and Outpost's thread actions`,
    async () => {
      await rounds(
        gmailAccount,
        seededRandom(SEED),
        (rng, serial) => otherGmailClient(otherGmail, rng, serial),
        (rng, serial) => mutateGmail(control, rng, serial),
        async (context) => {
          expect(indexAsGmailSnapshot(engine.db, gmailAccount), context).toEqual(await remoteGmailSnapshot(emulator, GMAIL_USER));
          expect(indexedUserLabels(engine, gmailAccount), context).toEqual(await remoteUserLabels(otherGmail));
        },
        0.4,
      );
    },
    propertyTimeout(ROUNDS, 2_000),
  );

  it(
    `Outlook, ${ROUNDS} rounds: new mail, replies, moves, read/flag/category edits, deletes, another client's mail folders (create, rename, delete) and Outpost's thread actions`,
    async () => {
      await rounds(
        outlookAccount,
        seededRandom(SEED + 1),
        (rng, serial) => otherOutlookClient(otherGraph, control, rng, serial),
        (rng, serial) => mutateOutlook(control, rng, serial),
        async (context) => {
          expect(indexAsGraphSnapshot(engine.db, outlookAccount), context).toEqual(
            await remoteGraphSnapshot(emulator, OUTLOOK_USER),
          );
          expect(indexedFolders(engine, outlookAccount), context).toEqual(await remoteFolders(control));
        },
        0.3,
      );
    },
    propertyTimeout(ROUNDS, 2_000),
  );
});

async function mutateGmail(control: Control, rng: Rng, serial: number): Promise<string> {
  const user = `/google/users/${GMAIL_USER}`;
  const snapshot = (await control('/snapshot')) as {
    google: Record<string, { labels: Array<{ id: string; type: string }>; messages: Array<{ id: string; threadId: string }> }>;
  };
  const box = snapshot.google[GMAIL_USER];
  const message = pick(rng, box?.messages ?? []);
  const userLabels = (box?.labels ?? []).filter((l) => l.type === 'user').map((l) => l.id);
  const flagLabels = ['INBOX', 'UNREAD', 'STARRED', 'IMPORTANT', 'TRASH', 'SPAM', ...userLabels];
  const roll = rng();
  if (!message || roll < 0.2) {
    const raw = Buffer.from(
      `From: Sender ${serial} <s${serial}@example.test>\r\nTo: ${GMAIL_USER}\r\nSubject: Property ${serial}\r\n` +
        `Message-ID: <property-${serial}@example.test>\r\n\r\nBody ${serial}`,
    ).toString('base64url');
    await control(`${user}/messages`, { method: 'POST', body: { raw, labelIds: ['INBOX', 'UNREAD'], encoding: 'base64url' } });
    return 'add';
  }
  if (roll < 0.35) {
    await control(`${user}/threads/${message.threadId}/reply`, { method: 'POST', body: { from: `r${serial}@example.test` } });
    return `reply in ${message.threadId}`;
  }
  if (roll < 0.75) {
    const add = flagLabels.filter(() => rng() < 0.2);
    const remove = flagLabels.filter((l) => !add.includes(l) && rng() < 0.2);
    await control(`${user}/messages/${message.id}/modify`, {
      method: 'POST',
      body: { addLabelIds: add, removeLabelIds: remove },
    });
    return `modify ${message.id} +[${add}] -[${remove}]`;
  }
  if (roll < 0.85) {
    const label = (await control(`${user}/labels`, { method: 'POST', body: { name: `Property/${serial}` } })) as { id: string };
    await control(`${user}/messages/${message.id}/modify`, { method: 'POST', body: { addLabelIds: [label.id] } });
    return `new label ${label.id} on ${message.id}`;
  }
  await control(`${user}/messages/${message.id}`, { method: 'DELETE' });
  return `delete ${message.id}`;
}

async function mutateOutlook(control: Control, rng: Rng, serial: number): Promise<string> {
  const snapshot = (await control('/snapshot')) as {
    microsoft: {
      users: Array<{
        upn: string;
        folders: Array<{ id: string; wellKnownName: string | null }>;
        messages: Array<{ id: string; isRead: boolean }>;
      }>;
    };
  };
  const box = snapshot.microsoft.users.find((u) => u.upn === OUTLOOK_USER);
  const message = pick(rng, box?.messages ?? []);
  const folders = (box?.folders ?? []).map((f) => f.wellKnownName ?? f.id);
  const roll = rng();
  if (!message || roll < 0.2) {
    await control('/microsoft/messages', {
      method: 'POST',
      body: { subject: `Property ${serial}`, from: `s${serial}@example.test`, body: `Body ${serial}`, isRead: rng() < 0.3 },
    });
    return 'add';
  }
  if (roll < 0.35) {
    await control(`/microsoft/messages/${message.id}/reply`, { method: 'POST', body: { from: `r${serial}@example.test` } });
    return `reply to ${message.id}`;
  }
  if (roll < 0.65) {
    const categories = ['Red category', 'Blue category', 'Travel'].filter(() => rng() < 0.4);
    const flagStatus = pick(rng, ['notFlagged', 'flagged', 'complete'] as const);
    await control(`/microsoft/messages/${message.id}`, {
      method: 'PATCH',
      body: { isRead: !message.isRead, flagStatus, categories },
    });
    return `patch ${message.id}`;
  }
  if (roll < 0.85) {
    const folder = pick(rng, folders) ?? 'archive';
    await control(`/microsoft/messages/${message.id}/move`, { method: 'POST', body: { folder } });
    return `move ${message.id} to ${folder}`;
  }
  await control(`/microsoft/messages/${message.id}`, { method: 'DELETE' });
  return `delete ${message.id}`;
}

/** The user's Gmail labels as the index names them, and as Gmail does. */
function indexedUserLabels(engine: Engine, accountId: string): Array<{ id: string; name: string }> {
  return engine.db
    .prepare("SELECT remote_id AS id, name FROM labels WHERE account_id = ? AND kind = 'user' ORDER BY remote_id")
    .all(accountId) as Array<{ id: string; name: string }>;
}

async function remoteUserLabels(gmail: ReturnType<typeof gmailFor>): Promise<Array<{ id: string; name: string }>> {
  const { data } = await gmail.users.labels.list({ userId: 'me' });
  return (data.labels ?? [])
    .filter((l) => l.type === 'user')
    .map((l) => ({ id: l.id ?? '', name: l.name ?? '' }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const rawMessage = (serial: number, subject: string) =>
  Buffer.from(
    `From: ${GMAIL_USER}\r\nTo: d${serial}@example.test\r\nSubject: ${subject}\r\nContent-Type: text/plain\r\n\r\nDraft ${serial}\r\n`,
  ).toString('base64url');

/** What another Gmail client does through the API: drafts, batchDelete, threads trashed, untrashed and deleted, labels renamed and deleted. */
async function otherGmailClient(gmail: ReturnType<typeof gmailFor>, rng: Rng, serial: number): Promise<string> {
  const me = { userId: 'me' };
  const drafts = (await gmail.users.drafts.list(me)).data.drafts ?? [];
  const draft = pick(rng, drafts);
  const messages = (await gmail.users.messages.list({ ...me, maxResults: 500, includeSpamTrash: true })).data.messages ?? [];
  const message = pick(rng, messages);
  const labels = ((await gmail.users.labels.list(me)).data.labels ?? []).filter((l) => l.type === 'user');
  const label = pick(rng, labels);
  const roll = rng();
  if (!draft || roll < 0.15) {
    const { data } = await gmail.users.drafts.create({
      ...me,
      requestBody: { message: { raw: rawMessage(serial, `Draft ${serial}`) } },
    });
    return `draft create ${data.id}`;
  }
  if (roll < 0.25) {
    await gmail.users.drafts.update({
      ...me,
      id: draft.id ?? '',
      requestBody: { message: { raw: rawMessage(serial, `Draft ${serial}, again`) } },
    });
    return `draft update ${draft.id}`;
  }
  if (roll < 0.32) {
    await gmail.users.drafts.delete({ ...me, id: draft.id ?? '' });
    return `draft delete ${draft.id}`;
  }
  if (roll < 0.42) {
    const { data } = await gmail.users.drafts.send({ ...me, requestBody: { id: draft.id } });
    return `draft send ${draft.id} as ${data.id}`;
  }
  if ((roll < 0.52 || !label) && message) {
    const ids = [message.id ?? '', ...messages.filter(() => rng() < 0.01).map((m) => m.id ?? '')];
    await gmail.users.messages.batchDelete({ ...me, requestBody: { ids } });
    return `batchDelete ${ids.join(',')}`;
  }
  if (roll < 0.75 && message) {
    const how = pick(rng, ['trash', 'untrash', 'delete'] as const) ?? 'trash';
    await gmail.users.threads[how]({ ...me, id: message.threadId ?? '' });
    return `threads.${how} ${message.threadId}`;
  }
  if (roll < 0.9 && label) {
    await gmail.users.labels.patch({ ...me, id: label.id ?? '', requestBody: { name: `Renamed/${serial}` } });
    return `label rename ${label.id}`;
  }
  if (label) {
    await gmail.users.labels.delete({ ...me, id: label.id ?? '' });
    return `label delete ${label.id}`;
  }
  return 'other client: nothing to act on';
}

type Graph = (path: string, init?: { method?: string; body?: unknown }) => Promise<Record<string, unknown>>;

/**
 * Graph's /me with a bearer token, as another Outlook client calls it. A request that meets a
 * kept-alive socket the emulator has just closed (ECONNRESET before any answer) is sent once more
 * on a new one, as HTTP clients do for that race; anything else fails the test.
 */
function graphClient(baseUrl: string, token: string): Graph {
  const send = (path: string, init: { method?: string; body?: unknown }) =>
    fetch(`${baseUrl}/v1.0/me${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  return async (path, init = {}) => {
    const response = await send(path, init).catch((error: { cause?: { code?: string } }) => {
      if (error.cause?.code !== 'ECONNRESET') throw error;
      return send(path, init);
    });
    if (!response.ok) throw new Error(`graph ${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
  };
}

interface FolderView {
  id: string;
  name: string;
}

async function outlookFolders(control: Control) {
  const snapshot = (await control('/snapshot')) as {
    microsoft: {
      users: Array<{
        upn: string;
        folders: Array<{ id: string; displayName: string; wellKnownName: string | null; parentFolderId: string | null }>;
      }>;
    };
  };
  return snapshot.microsoft.users.find((u) => u.upn === OUTLOOK_USER)?.folders ?? [];
}

/** The mail folders as the index names them, and as Outlook does. */
function indexedFolders(engine: Engine, accountId: string): FolderView[] {
  return engine.db
    .prepare("SELECT remote_id AS id, name FROM labels WHERE account_id = ? AND kind = 'folder' ORDER BY remote_id")
    .all(accountId) as FolderView[];
}

async function remoteFolders(control: Control): Promise<FolderView[]> {
  return (await outlookFolders(control))
    .filter((f) => f.wellKnownName !== 'msgfolderroot')
    .map((f) => ({ id: f.id, name: f.displayName }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** What another Outlook client does through Graph: mail folders created (top level or inside another), renamed, deleted. */
async function otherOutlookClient(graph: Graph, control: Control, rng: Rng, serial: number): Promise<string> {
  const folders = await outlookFolders(control);
  const own = folders.filter((f) => f.wellKnownName === null);
  const folder = pick(rng, own);
  const roll = rng();
  if (!folder || roll < 0.4) {
    const parent = rng() < 0.3 ? folder : undefined;
    const { id } = await graph(parent ? `/mailFolders/${parent.id}/childFolders` : '/mailFolders', {
      method: 'POST',
      body: { displayName: `Folder ${serial}` },
    });
    return `folder create ${id}${parent ? ` in ${parent.id}` : ''}`;
  }
  if (roll < 0.75) {
    await graph(`/mailFolders/${folder.id}`, { method: 'PATCH', body: { displayName: `Renamed ${serial}` } });
    return `folder rename ${folder.id}`;
  }
  await graph(`/mailFolders/${folder.id}`, { method: 'DELETE' });
  return `folder delete ${folder.id}`;
}
