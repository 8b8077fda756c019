import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSubscription } from '../../../main/api/webhooks/webhookStore.ts';
import { type Engine, openEngine } from '../../../main/core/engine.ts';
import { EventBus } from '../../../main/core/eventBus.ts';
import { memoryLog } from '../../../main/core/log.ts';
import { deleteMessages, writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { listThreadsOfAccount } from '../../../main/db/queries/threadReads.ts';
import { listDeliveries } from '../../../main/db/queries/webhooks.ts';
import { transaction } from '../../../main/db/transactions.ts';
import { applyThreadAction } from '../../../main/mail/threadActions.ts';
import type { CoreEvent } from '../../../shared/events.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/** Listeners hear of a change only once it committed, never inside its transaction, and never of one rolled back. */
describe('changes announced after the commit', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let engine: Engine;
  let heard: Array<{ event: CoreEvent; inTransaction: boolean }>;
  beforeEach(() => {
    dir = makeTempDir();
    engine = openEngine({ dataDir: dir.path, log: memoryLog().log, providers: { google: null, microsoft: null } });
    heard = [];
    engine.events.subscribe((event) => heard.push({ event, inTransaction: engine.db.inTransaction }));
  });
  afterEach(async () => {
    await engine.close();
    dir.remove();
  });
  const mailChanges = () => heard.filter((h) => h.event.type === 'mail.changed');

  it('announces mail.changed with the threads a committed write touched, outside any transaction', () => {
    const { account, inbox } = seedAccount(engine.db);
    transaction(engine.db, () => {
      writeMessages(engine.db, account.id, [
        messageInput({ remoteId: 'a', threadRemoteId: 't1', labelIds: [inbox] }),
        messageInput({ remoteId: 'b', threadRemoteId: 't2', labelIds: [inbox] }),
      ]);
      expect(mailChanges()).toEqual([]); // not yet: the page is still being written
    });
    const threads = listThreadsOfAccount(engine.db, account.id, 10).map((t) => `thr_${t.id}`);
    expect(mailChanges()).toEqual([
      {
        inTransaction: false,
        event: {
          type: 'mail.changed',
          account_id: account.id,
          thread_ids: expect.arrayContaining(threads),
          removed_thread_ids: [],
          what: ['messages'],
        },
      },
    ]);

    heard = [];
    applyThreadAction(engine.db, Number(threads[0]?.slice(4)), 'mark_read');
    expect(mailChanges().map((h) => h.event)).toEqual([
      { type: 'mail.changed', account_id: account.id, thread_ids: [threads[0]], removed_thread_ids: [], what: ['flags'] },
    ]);

    heard = [];
    deleteMessages(engine.db, account.id, ['a', 'b']);
    expect(mailChanges().map((h) => h.event)).toEqual([
      {
        type: 'mail.changed',
        account_id: account.id,
        thread_ids: [],
        removed_thread_ids: expect.arrayContaining(threads),
        what: ['messages'],
      },
    ]);
  });

  it('says nothing of a write that rolled back', () => {
    const { account, inbox } = seedAccount(engine.db);
    expect(() =>
      transaction(engine.db, () => {
        writeMessages(engine.db, account.id, [messageInput({ remoteId: 'a', labelIds: [inbox] })]);
        throw new Error('the page failed half-way');
      }),
    ).toThrow(/half-way/);
    expect(listThreadsOfAccount(engine.db, account.id, 10)).toEqual([]);
    expect(mailChanges()).toEqual([]);
  });

  it('records a webhook delivery in the transaction that finishes the job: both or neither', () => {
    const { account } = seedAccount(engine.db);
    const subscription = createSubscription(engine.db, 'https://hooks.example.test/outpost', ['email.sync.completed']);
    const rolledBack = engine.jobs.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [account.id] });
    engine.jobs.claimNext();
    heard = [];
    expect(() =>
      transaction(engine.db, () => {
        engine.jobs.succeed(rolledBack.id, { messagesProcessed: 1 });
        throw new Error('crash before the commit');
      }),
    ).toThrow(/crash/);
    expect(listDeliveries(engine.db, subscription.id)).toEqual([]);
    expect(heard).toEqual([]);

    engine.jobs.succeed(rolledBack.id, { messagesProcessed: 1 });
    expect(listDeliveries(engine.db, subscription.id).map((d) => d.event_type)).toEqual(['email.sync.completed']);
    expect(heard.map((h) => [h.event.type, h.inTransaction])).toEqual([
      ['job.updated', false],
      ['email.sync.completed', false],
    ]);
  });
});

describe('EventBus', () => {
  it('logs a failing listener and still tells the others', () => {
    const logged = memoryLog();
    const bus = new EventBus(logged.log);
    const told: string[] = [];
    bus.subscribe(() => {
      throw new Error('listener bug');
    });
    bus.subscribe((event) => told.push(event.type));
    bus.emit({ type: 'account.removed', account_id: 'acc' });
    expect(told).toEqual(['account.removed']);
    expect(logged.lines()).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'an event listener failed',
        event: 'account.removed',
        err: expect.objectContaining({ message: 'listener bug' }),
      }),
    ]);
  });
});
