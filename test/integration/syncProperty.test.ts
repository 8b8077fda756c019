import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { seededRandom } from '../emulator/kit/faults.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import {
  autoConsentBrowser,
  emulatorControl,
  googleConfigFor,
  indexAsGmailSnapshot,
  indexAsGraphSnapshot,
  microsoftConfigFor,
  remoteGmailSnapshot,
  remoteGraphSnapshot,
  runMailSync,
} from '../support/emulatorAccounts.ts';
import { pick, propertyRun, propertyTimeout, type Rng, userThreadAction } from '../support/propertyRuns.ts';
import { makeTempDir } from '../support/tempDir.ts';

const GMAIL_USER = 'alice@gmail.test';
const OUTLOOK_USER = 'bob@contoso.test';
// OUTPOST_PROPERTY_ROUNDS=1000 is the nightly size (README, Developing).
const { seed: SEED, rounds: ROUNDS } = propertyRun(50);

type Control = (path: string, init?: { method?: string; body?: unknown }) => Promise<Record<string, unknown>>;
/**
 * Random rounds of what other clients do to a mailbox, mixed with what the
 * user does to it in Outpost (thread actions, pushed by the sync), each round
 * followed by an incremental sync; after every round the index must equal the
 * mailbox. A failure names the seed and round (rerun with OUTPOST_PROPERTY_SEED).
 */
describe(`random mailbox mutations + incremental syncs converge every round (seed ${SEED})`, () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let gmailAccount: string;
  let outlookAccount: string;
  let control: Control;

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 250 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    control = emulatorControl(emulator);
    const google = googleConfigFor(emulator.baseUrl);
    const microsoft = microsoftConfigFor(emulator.baseUrl);
    engine = openEngine({
      log: silentLog,
      dataDir: dir.path,
      providers: { google, microsoft },
      gmailQuota: { unitsPerSecond: 1_000_000 },
    });
    gmailAccount = (await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser })).id;
    outlookAccount = (await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser })).id;
    expect(await runMailSync(engine, gmailAccount)).toMatchObject({ status: 'succeeded' });
    expect(await runMailSync(engine, outlookAccount)).toMatchObject({ status: 'succeeded' });
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it(
    `Gmail, ${ROUNDS} rounds: adds, replies, label changes, read flips, trash, deletes, new labels and Outpost's thread actions`,
    async () => {
      const rng = seededRandom(SEED);
      let serial = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        const ops: string[] = [];
        for (let n = 1 + Math.floor(rng() * 5); n > 0; n--)
          ops.push(rng() < 0.25 ? userThreadAction(engine, gmailAccount, rng) : await mutateGmail(control, rng, ++serial));
        const job = await runMailSync(engine, gmailAccount);
        const context = `seed ${SEED}, round ${round}: ${ops.join('; ')}`;
        expect(job?.error, context).toBeNull();
        expect(indexAsGmailSnapshot(engine.db, gmailAccount), context).toEqual(await remoteGmailSnapshot(emulator, GMAIL_USER));
      }
    },
    propertyTimeout(ROUNDS, 2_000),
  );

  it(
    `Outlook, ${ROUNDS} rounds: new mail, replies, moves, read/flag/category edits, deletes and Outpost's thread actions`,
    async () => {
      const rng = seededRandom(SEED + 1);
      let serial = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        const ops: string[] = [];
        for (let n = 1 + Math.floor(rng() * 5); n > 0; n--)
          ops.push(rng() < 0.25 ? userThreadAction(engine, outlookAccount, rng) : await mutateOutlook(control, rng, ++serial));
        const job = await runMailSync(engine, outlookAccount);
        const context = `seed ${SEED}, round ${round}: ${ops.join('; ')}`;
        expect(job?.error, context).toBeNull();
        expect(indexAsGraphSnapshot(engine.db, outlookAccount), context).toEqual(
          await remoteGraphSnapshot(emulator, OUTLOOK_USER),
        );
      }
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
