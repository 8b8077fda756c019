/**
 * Drafts kept at the provider, both ways, through the local API as the compose window uses it and
 * checked at the emulator (Gmail's drafts, Outlook's Drafts folder): a save is in Outpost's Drafts at
 * once and reaches the provider; an edit updates the same provider draft; a draft written elsewhere
 * syncs into Drafts and, continued here, updates that draft; sending leaves one message in Sent and
 * no draft; a save while the provider is unreachable is pushed once when it is back; a create whose
 * answer was lost is found again by its Message-ID instead of made twice.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, startCore } from '../../main/core/startCore.ts';
import type { ConnectName } from '../../main/providers/registry.ts';
import { gmailFor, signIn as googleSignIn } from '../emulator/google/harness.ts';
import type { RunningEmulator } from '../emulator/index.ts';
import { signIn as graphSignIn } from '../emulator/microsoft/testAuth.ts';
import { emulatorControl, googleConfigFor, microsoftConfigFor, runMailSync } from '../support/emulatorAccounts.ts';
import { type EmulatorCore, startEmulatorCore } from '../support/emulatorCore.ts';
import { makeTempDir } from '../support/tempDir.ts';

interface RemoteDraft {
  /** The provider's draft id (Gmail's draft id, Graph's message id). */
  id: string;
  subject: string;
  to: string[];
  body: string;
}

/** The provider's side, read and written as another client (a phone, the web UI) would. */
interface Remote {
  drafts(): Promise<RemoteDraft[]>;
  create(subject: string, to: string, body: string): Promise<string>;
  /** Subjects of the messages in Sent. */
  sent(): Promise<string[]>;
  /** The endpoints a draft create and a send go through (for injected faults). */
  createEndpoint: string;
  sendEndpoint: string;
}

async function gmailRemote(emulator: RunningEmulator): Promise<Remote> {
  const gmail = gmailFor(emulator, await googleSignIn(emulator, ['https://mail.google.com/']));
  const header = (h: Array<{ name?: string | null; value?: string | null }> | undefined, name: string) =>
    h?.find((x) => x.name?.toLowerCase() === name)?.value ?? '';
  return {
    async drafts() {
      const { data } = await gmail.users.drafts.list({ userId: 'me' });
      return Promise.all(
        (data.drafts ?? []).map(async (d) => {
          const full = await gmail.users.drafts.get({ userId: 'me', id: d.id ?? '', format: 'full' });
          const payload = full.data.message?.payload;
          const part = payload?.parts?.find((p) => p.mimeType === 'text/plain') ?? payload;
          return {
            id: d.id ?? '',
            subject: header(payload?.headers, 'subject'),
            to: header(payload?.headers, 'to')
              .split(',')
              .map((a) => a.trim())
              .filter(Boolean),
            body: Buffer.from(part?.body?.data ?? '', 'base64url').toString('utf8'),
          };
        }),
      );
    },
    async create(subject, to, body) {
      const raw = Buffer.from(`To: ${to}\r\nSubject: ${subject}\r\nContent-Type: text/plain\r\n\r\n${body}\r\n`).toString(
        'base64url',
      );
      const { data } = await gmail.users.drafts.create({ userId: 'me', requestBody: { message: { raw } } });
      return data.id ?? '';
    },
    async sent() {
      const { data } = await gmail.users.messages.list({ userId: 'me', labelIds: ['SENT'], maxResults: 500 });
      return Promise.all(
        (data.messages ?? []).map(async (m) => {
          const full = await gmail.users.messages.get({ userId: 'me', id: m.id ?? '', format: 'metadata' });
          return header(full.data.payload?.headers, 'subject');
        }),
      );
    },
    createEndpoint: 'gmail.users.drafts.create',
    sendEndpoint: 'gmail.users.messages.send',
  };
}

async function graphRemote(emulator: RunningEmulator): Promise<Remote> {
  const token = await graphSignIn(emulator.baseUrl);
  // biome-ignore lint/suspicious/noExplicitAny: Graph answers read loosely
  const graph = async (path: string, init: RequestInit = {}): Promise<any> => {
    const response = await fetch(`${emulator.baseUrl}/v1.0/me${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'IdType="ImmutableId"' },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    async drafts() {
      const page = await graph('/mailFolders/drafts/messages?$top=100');
      // biome-ignore lint/suspicious/noExplicitAny: Graph answers read loosely
      return page.value.map((m: any) => ({
        id: m.id,
        subject: m.subject,
        // biome-ignore lint/suspicious/noExplicitAny: Graph answers read loosely
        to: m.toRecipients.map((r: any) => r.emailAddress.address),
        body: m.body.content,
      }));
    },
    async create(subject, to, body) {
      const made = await graph('/messages', {
        method: 'POST',
        body: JSON.stringify({
          subject,
          body: { contentType: 'text', content: body },
          toRecipients: [{ emailAddress: { address: to } }],
        }),
      });
      return made.id;
    },
    async sent() {
      const page = await graph('/mailFolders/sentitems/messages?$top=1000&$select=subject');
      return page.value.map((m: { subject: string }) => m.subject);
    },
    createEndpoint: 'graph.messages.create',
    sendEndpoint: 'graph.sendMail',
  };
}

const PROVIDERS: Array<{ name: ConnectName; remote: (emulator: RunningEmulator) => Promise<Remote> }> = [
  { name: 'google', remote: gmailRemote },
  { name: 'microsoft', remote: graphRemote },
];

describe.each(PROVIDERS)('drafts at the provider: $name', ({ name, remote: openRemote }) => {
  const dir = makeTempDir();
  let started: EmulatorCore;
  let core: Core;
  let accountId: string;
  let remote: Remote;
  let control: ReturnType<typeof emulatorControl>;

  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${core.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${started.adminSession}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const save = (id: string, fields: { to: string[]; subject: string; body_text: string; message_id?: string }) =>
    api(`/v1/email/compose-drafts/${id}`, { method: 'PUT', body: { cc: [], bcc: [], ...fields } });
  /** Outpost's Drafts view of the account: the conversations and their subjects. */
  const outpostDrafts = async (): Promise<Array<{ id: string; subject: string }>> => {
    const { body } = await api(`/v1/email/threads?label=drafts&account_id=${accountId}`);
    return body.data;
  };
  /** The push the save asked for, and the sync after it, done. */
  const settled = async () => {
    await core.runner.idle();
    expect(await runMailSync(core, accountId)).toMatchObject({ status: 'succeeded' });
  };

  beforeAll(async () => {
    started = await startEmulatorCore(dir.path, { connect: name, messages: 40 });
    ({ core, accountId } = started);
    control = emulatorControl(started.emulator);
    remote = await openRemote(started.emulator);
    expect(await runMailSync(core, accountId)).toMatchObject({ status: 'succeeded' });
  }, 60_000);
  afterAll(async () => {
    await core?.close();
    await started?.emulator.stop();
    dir.remove();
  });

  it('a save is in Drafts at once and reaches the provider; an edit updates the same draft', async () => {
    const id = randomUUID();
    expect((await save(id, { to: ['carol@example.com'], subject: 'Kept here', body_text: 'First words.' })).status).toBe(200);
    // In the index before the provider has it.
    expect((await outpostDrafts()).map((t) => t.subject)).toContain('Kept here');
    await settled();
    const first = (await remote.drafts()).filter((d) => d.subject === 'Kept here');
    expect(first).toMatchObject([{ to: ['carol@example.com'] }]);
    expect(first[0]?.body).toContain('First words.');

    await save(id, { to: ['carol@example.com', 'dave@example.com'], subject: 'Kept here, again', body_text: 'Second words.' });
    await settled();
    const after = (await remote.drafts()).filter((d) => d.subject.startsWith('Kept here'));
    expect(after).toMatchObject([{ id: first[0]?.id, subject: 'Kept here, again' }]);
    expect(after[0]?.to).toEqual(['carol@example.com', 'dave@example.com']);
    expect(after[0]?.body).toContain('Second words.');
    // One conversation in Outpost's Drafts, as the provider has it after the sync.
    expect((await outpostDrafts()).filter((t) => t.subject.startsWith('Kept here')).map((t) => t.subject)).toEqual([
      'Kept here, again',
    ]);
  }, 60_000);

  it('a draft written elsewhere syncs into Drafts; continued here, it updates that draft', async () => {
    const remoteId = await remote.create('From the phone', 'erin@example.com', 'Typed on the bus.');
    expect(await runMailSync(core, accountId)).toMatchObject({ status: 'succeeded' });
    const thread = (await outpostDrafts()).find((t) => t.subject === 'From the phone');
    expect(thread).toBeTruthy();
    const { body } = await api(`/v1/email/threads/${thread?.id}`);
    const message = body.data.messages[0];
    expect(message).toMatchObject({ subject: 'From the phone', to: [{ email: 'erin@example.com' }] });
    expect(message.body_text).toContain('Typed on the bus.');

    await save(randomUUID(), {
      to: ['erin@example.com'],
      subject: 'From the phone',
      body_text: 'Typed on the bus, finished at the desk.',
      message_id: message.id,
    });
    await settled();
    const there = (await remote.drafts()).filter((d) => d.subject === 'From the phone');
    expect(there).toMatchObject([{ id: remoteId }]);
    expect(there[0]?.body).toContain('finished at the desk');
    expect((await outpostDrafts()).filter((t) => t.subject === 'From the phone')).toHaveLength(1);
  }, 60_000);

  it('sending a draft sends it once, even when the send answer is lost, and leaves no draft', async () => {
    const id = randomUUID();
    await save(id, { to: ['frank@example.com'], subject: 'Send me once', body_text: 'Now.' });
    await settled();
    expect((await remote.drafts()).filter((d) => d.subject === 'Send me once')).toHaveLength(1);
    // The provider takes the message, then the connection drops before Outpost hears of it.
    await control('/faults', { method: 'POST', body: { fault: { endpoint: remote.sendEndpoint, kind: 'reset', count: 1 } } });
    const sent = await api('/v1/email/send', {
      method: 'POST',
      body: { to: ['frank@example.com'], subject: 'Send me once', body_text: 'Now.', draft_id: id },
    });
    expect(sent.status).toBe(200);
    // Out of Drafts as the message is queued, and out of compose's saved messages.
    expect((await outpostDrafts()).filter((t) => t.subject === 'Send me once')).toEqual([]);
    expect((await api('/v1/email/compose-drafts')).body.data.map((d: { id: string }) => d.id)).not.toContain(id);
    // The outbox settles the uncertain send by finding it in Sent, never by sending again.
    core.db.prepare(`UPDATE outbox SET next_attempt_at = 0 WHERE status = 'queued'`).run();
    await core.send.outbox.deliverDue();
    await core.send.outbox.deliverDue();
    await settled();
    expect((await remote.drafts()).filter((d) => d.subject === 'Send me once')).toEqual([]);
    expect((await remote.sent()).filter((s) => s === 'Send me once')).toHaveLength(1);
    expect((await outpostDrafts()).filter((t) => t.subject === 'Send me once')).toEqual([]);
  }, 60_000);

  it('a save while the provider is unreachable is in Drafts, and pushed once when it is back', async () => {
    await control('/faults', {
      method: 'POST',
      body: { fault: { endpoint: '*', kind: 'status', status: 503, retryAfter: 0 } },
    });
    const id = randomUUID();
    try {
      await save(id, { to: ['gina@example.com'], subject: 'Written offline', body_text: 'Later.' });
      await core.runner.idle();
      expect((await outpostDrafts()).map((t) => t.subject)).toContain('Written offline');
      await save(id, { to: ['gina@example.com'], subject: 'Written offline', body_text: 'Later, still.' });
      await core.runner.idle();
    } finally {
      await control('/faults', { method: 'DELETE' });
    }
    await settled();
    await settled();
    const there = (await remote.drafts()).filter((d) => d.subject === 'Written offline');
    expect(there).toHaveLength(1);
    expect(there[0]?.body).toContain('Later, still.');
    expect((await outpostDrafts()).filter((t) => t.subject === 'Written offline')).toHaveLength(1);
  }, 120_000);

  it('a save the provider has not had when Outpost stops is still in Drafts after a restart, and pushed once', async () => {
    // The provider refuses the create for now (503): the save waits.
    await control('/faults', {
      method: 'POST',
      body: { fault: { endpoint: remote.createEndpoint, kind: 'status', status: 503, retryAfter: 0 } },
    });
    try {
      await save(randomUUID(), { to: ['ivy@example.com'], subject: 'Before the restart', body_text: 'Kept.' });
      await core.runner.idle();
    } finally {
      await control('/faults', { method: 'DELETE' });
    }
    await core.close();
    core = await startCore({
      dataDir: dir.path,
      port: 0,
      version: 'test',
      rendererDir: null,
      schedule: false,
      providers:
        name === 'google'
          ? { google: googleConfigFor(started.emulator.baseUrl), microsoft: null }
          : { google: null, microsoft: microsoftConfigFor(started.emulator.baseUrl) },
      gmailQuota: { unitsPerSecond: 1_000_000 },
    });
    expect((await outpostDrafts()).map((t) => t.subject)).toContain('Before the restart');
    expect((await remote.drafts()).filter((d) => d.subject === 'Before the restart')).toEqual([]);
    await settled();
    await settled();
    expect((await remote.drafts()).filter((d) => d.subject === 'Before the restart')).toHaveLength(1);
    expect((await outpostDrafts()).filter((t) => t.subject === 'Before the restart')).toHaveLength(1);
  }, 120_000);

  it('a create whose answer was lost is found by its Message-ID, not made twice', async () => {
    // The provider makes the draft, then the connection drops before Outpost hears of it.
    await control('/faults', {
      method: 'POST',
      body: { fault: { endpoint: remote.createEndpoint, kind: 'reset', count: 1 } },
    });
    const id = randomUUID();
    try {
      await save(id, { to: ['hal@example.com'], subject: 'Answer lost', body_text: 'Once.' });
      await core.runner.idle();
    } finally {
      await control('/faults', { method: 'DELETE' });
    }
    await save(id, { to: ['hal@example.com'], subject: 'Answer lost', body_text: 'Once, edited.' });
    await settled();
    await settled();
    const there = (await remote.drafts()).filter((d) => d.subject === 'Answer lost');
    expect(there).toHaveLength(1);
    expect(there[0]?.body).toContain('Once, edited.');
  }, 120_000);
});
