import PostalMime from 'postal-mime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../../main/core/log.ts';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { labelIdsOfThreads, listThreadsOfAccount, messagesOfThread } from '../../../main/db/queries/threadReads.ts';
import type { SendProvider } from '../../../main/send/outbox.ts';
import { SendError, SendService } from '../../../main/send/sendService.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('SendService', () => {
  let db: IndexDb;
  let dir: ReturnType<typeof makeTempDir>;
  let accepted: Array<{ raw: Buffer; threadId: string | null }>;
  let service: SendService;
  let sentLabel: number;
  beforeEach(() => {
    db = openIndex(':memory:');
    dir = makeTempDir();
    accepted = [];
    const { account, inbox, sent } = seedAccount(db, 'me@example.test');
    sentLabel = sent;
    writeMessages(db, account.id, [
      messageInput({
        remoteId: 'g1',
        threadRemoteId: 'gthread',
        rfc822MessageId: 'root@ann.test',
        subject: 'Plans',
        labelIds: [inbox],
        sentAt: 1,
      }),
      messageInput({
        remoteId: 'g2',
        threadRemoteId: 'gthread',
        rfc822MessageId: 'second@ann.test',
        references: ['root@ann.test'],
        subject: 'Re: Plans',
        labelIds: [inbox],
        sentAt: 2,
      }),
    ]);
    const provider: SendProvider = {
      async send(raw, { providerThreadId }) {
        accepted.push({ raw, threadId: providerThreadId });
        return { providerMessageId: `sent${accepted.length}`, providerThreadId: providerThreadId ?? `new${accepted.length}` };
      },
      async findSent() {
        return null;
      },
      classify: () => ({ kind: 'fatal' }),
    };
    service = new SendService(db, new BlobStore(db, dir.path), () => provider, { log: silentLog });
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  it('replies into the thread with In-Reply-To/References, and the sent copy is in the thread at once, in Sent', async () => {
    const accountId = db.prepare('SELECT id FROM accounts').pluck().get() as string;
    const thread = listThreadsOfAccount(db, accountId, 1)[0];
    const result = await service.submit(
      { to: ['ann@ann.test'], subject: 'Re: Plans', text: 'Sounds good', threadId: `thr_${thread?.id}` },
      { idempotencyKey: 'k' },
    );
    expect(result).toMatchObject({ status: 'sent', provider: 'gmail', thread_id: `thr_${thread?.id}` });
    expect(result.sent_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(accepted[0]?.threadId).toBe('gthread');
    const parsed = await PostalMime.parse(accepted[0]?.raw as Buffer);
    expect(parsed.inReplyTo).toBe('<second@ann.test>');
    expect(parsed.references).toBe('<root@ann.test> <second@ann.test>');
    const messages = messagesOfThread(db, thread?.id as number);
    expect(messages.map((m) => m.remote_id)).toEqual(['g1', 'g2', 'sent1']);
    expect(labelIdsOfThreads(db, [thread?.id as number]).get(thread?.id as number)).toContain(sentLabel);

    // The key is the API's to hold (one live request per key); the service keeps it with the row, so a
    // request a crash cut short is found again by it, as the send stands now.
    expect(service.recover('k', 0)).toMatchObject({ id: result.id, status: 'sent', thread_id: `thr_${thread?.id}` });
    expect(service.status(result.id)).toEqual(service.recover('k', 0));
    expect(service.recover('k', Date.now() + 60_000)).toBeNull();
    expect(service.recover('other', 0)).toBeNull();
    expect(accepted).toHaveLength(1);
  });

  it('holds a message sent with a delay until the delay passes, and a cancel in time means it never goes', async () => {
    const held = await service.submit(
      { to: ['a@b.test'], subject: 'Held', text: 't', delaySeconds: 1 },
      { idempotencyKey: null },
    );
    expect(held.status).toBe('queued');
    await service.outbox.deliverDue(); // the sweep passes: not due yet
    expect(accepted).toHaveLength(0);
    await expect.poll(() => accepted.length, { timeout: 3_000 }).toBe(1);
    expect(service.outbox.get(held.id)?.status).toBe('sent');

    const undone = await service.submit(
      { to: ['a@b.test'], subject: 'Undone', text: 't', delaySeconds: 1 },
      { idempotencyKey: null },
    );
    await service.outbox.cancel(undone.id);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(accepted).toHaveLength(1);
    expect(service.outbox.get(undone.id)).toBeUndefined(); // cancelling takes it out of the outbox
  });

  it('answers a send request when its own message is sent, whatever other messages are waiting for', async () => {
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sends: string[] = [];
    const provider: SendProvider = {
      async send(raw) {
        const subject = /^Subject: (.*)$/m.exec(raw.toString())?.[1] ?? '';
        sends.push(subject);
        if (subject.startsWith('Slow')) await stuck;
        return { providerMessageId: `p-${subject}`, providerThreadId: null };
      },
      findSent: async () => null,
      classify: () => ({ kind: 'fatal' }),
    };
    const blocked = new SendService(db, new BlobStore(db, dir.path), () => provider, { log: silentLog });
    let slowDone = false;
    // Another request whose provider call hangs, and an older message that is due and not taken yet.
    const slowRequest = blocked.submit({ to: ['a@b.test'], subject: 'Slow one', text: 't' }, { idempotencyKey: null });
    void slowRequest.then(() => {
      slowDone = true;
    });
    const due = await blocked.submit(
      { to: ['a@b.test'], subject: 'Slow two', text: 't', delaySeconds: 60 },
      { idempotencyKey: null },
    );
    db.prepare('UPDATE outbox SET next_attempt_at = 0 WHERE id = ?').run(due.id);
    await expect.poll(() => sends).toEqual(['Slow one']);
    const quick = await blocked.submit({ to: ['a@b.test'], subject: 'Quick', text: 't' }, { idempotencyKey: null });
    expect(quick.status).toBe('sent');
    expect(sends).toEqual(['Slow one', 'Quick']); // the due one is the delivery pass's, not this request's
    expect(slowDone).toBe(false);
    expect(blocked.outbox.get(due.id)?.status).toBe('queued');
    release();
    expect((await slowRequest).status).toBe('sent');
    expect(await blocked.outbox.deliverDue()).toBe(1);
    expect(sends).toEqual(['Slow one', 'Quick', 'Slow two']);
  });

  it('refuses an unknown sender or thread', async () => {
    await expect(
      service.submit({ from: 'other@example.test', to: ['a@b.test'], subject: 's', text: 't' }, { idempotencyKey: null }),
    ).rejects.toBeInstanceOf(SendError);
    await expect(
      service.submit({ to: ['a@b.test'], subject: 's', text: 't', threadId: 'thr_999' }, { idempotencyKey: null }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('sends a reply from the account its thread is in, and a new message from the account named in from', async () => {
    const second = seedAccount(db, 'me@work.test');
    writeMessages(db, second.account.id, [
      messageInput({ remoteId: 'w1', threadRemoteId: 'wthread', rfc822MessageId: 'w1@work.test', labelIds: [second.inbox] }),
    ]);
    const workThread = `thr_${listThreadsOfAccount(db, second.account.id, 1)[0]?.id}`;
    const fromOf = async (n: number) => (await PostalMime.parse(accepted[n]?.raw as Buffer)).from?.address;

    const reply = await service.submit(
      { to: ['a@b.test'], subject: 'Re', text: 't', threadId: workThread },
      { idempotencyKey: null },
    );
    expect(reply.status).toBe('sent');
    expect(await fromOf(0)).toBe('me@work.test');
    await service.submit({ from: 'ME@work.test', to: ['a@b.test'], subject: 'New', text: 't' }, { idempotencyKey: null });
    expect(await fromOf(1)).toBe('me@work.test');
    await service.submit({ to: ['a@b.test'], subject: 'Default', text: 't' }, { idempotencyKey: null });
    expect(await fromOf(2)).toBe('me@example.test');
    // A reply sent as another account than its thread's is refused, not sent into a foreign thread.
    await expect(
      service.submit(
        { from: 'me@example.test', to: ['a@b.test'], subject: 'Re', text: 't', threadId: workThread },
        { idempotencyKey: null },
      ),
    ).rejects.toMatchObject({ code: 'validation_error' });
  });

  it('answers a particular message of the thread when asked (In-Reply-To and References of that one)', async () => {
    const thread = listThreadsOfAccount(db, db.prepare('SELECT id FROM accounts').pluck().get() as string, 1)[0]?.id;
    const root = db.prepare(`SELECT id FROM messages WHERE remote_id = 'g1'`).pluck().get() as number;
    await service.submit(
      {
        to: ['ann@ann.test'],
        subject: 'Re: Plans',
        text: 'About your first mail',
        threadId: `thr_${thread}`,
        replyToMessageId: `msg_${root}`,
      },
      { idempotencyKey: null },
    );
    const parsed = await PostalMime.parse(accepted[0]?.raw as Buffer);
    expect(parsed.inReplyTo).toBe('<root@ann.test>');
    expect(parsed.references).toBe('<root@ann.test>');
    for (const [replyToMessageId, threadId] of [
      ['msg_99999', `thr_${thread}`],
      ['g1', `thr_${thread}`],
      [`msg_${root}`, undefined],
    ] as const)
      await expect(
        service.submit(
          { to: ['a@b.test'], subject: 's', text: 't', replyToMessageId, ...(threadId ? { threadId } : {}) },
          { idempotencyKey: null },
        ),
      ).rejects.toMatchObject({ code: 'validation_error' });
  });
});
