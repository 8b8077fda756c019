import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenVault } from '../../../main/auth/tokenVault.ts';
import { AccountNotFoundError, removeAccount } from '../../../main/core/accountRemoval.ts';
import { EventBus } from '../../../main/core/eventBus.ts';
import { silentLog } from '../../../main/core/log.ts';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { upsertCalendar, writeEvents } from '../../../main/db/queries/calendarEvents.ts';
import { upsertLabel } from '../../../main/db/queries/labels.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { applyThreadAction } from '../../../main/mail/threadActions.ts';
import { GOOGLE_TOKENS } from '../../../main/providers/gmail/gmailSession.ts';
import { JobQueue } from '../../../main/sync/jobQueue.ts';
import { JobRunner } from '../../../main/sync/jobRunner.ts';
import { eventInput } from '../../support/calendarFixtures.ts';
import { messageInput } from '../../support/indexFixtures.ts';
import { offlineProviders } from '../../support/offlineProviders.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/** Row counts of every per-account table, for one account. */
function footprint(db: IndexDb, accountId: string): Record<string, number> {
  const count = (sql: string) => (db.prepare(sql).pluck().get(accountId) as number) ?? 0;
  return {
    messages: count('SELECT count(*) FROM messages WHERE account_id = ?'),
    threads: count('SELECT count(*) FROM threads WHERE account_id = ?'),
    labels: count('SELECT count(*) FROM labels WHERE account_id = ?'),
    calendars: count('SELECT count(*) FROM calendars WHERE account_id = ?'),
    events: count('SELECT count(*) FROM events e JOIN calendars c ON c.id = e.calendar_id WHERE c.account_id = ?'),
    credentials: count('SELECT count(*) FROM credentials WHERE account_id = ?'),
    pending_changes: count('SELECT count(*) FROM pending_changes WHERE account_id = ?'),
    jobs: count('SELECT count(*) FROM jobs WHERE account_id = ?'),
  };
}

describe('removing an account', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let blobs: BlobStore;
  let vault: TokenVault;
  let events: EventBus;
  let jobs: JobQueue;
  let runner: JobRunner;
  const emitted: string[] = [];
  beforeEach(() => {
    db = openIndex(':memory:');
    blobs = new BlobStore(db, join(dir.path, `blobs-${randomBytes(4).toString('hex')}`));
    vault = new TokenVault(db, randomBytes(32));
    events = new EventBus(silentLog);
    events.subscribe((event) => emitted.push(event.type));
    jobs = new JobQueue(db, events);
    runner = new JobRunner(jobs, {}, { log: silentLog });
  });
  afterEach(async () => {
    await runner.stop();
    db.close();
    emitted.length = 0;
  });
  afterAll(() => dir.remove());
  const deps = () => ({ db, blobs, runner, events, providers: offlineProviders(db, blobs) });

  /** An account with `count` messages (raw blobs, one attachment), labels, a calendar, a token and a pending change. */
  function seed(provider: 'gmail' | 'microsoft', email: string, count: number, shared: string) {
    const account = ensureAccount(db, provider, email);
    const inbox = upsertLabel(db, account.id, { remoteId: 'INBOX', name: 'Inbox', kind: 'system', role: 'inbox' });
    const own = blobs.put(Buffer.from(`raw of ${email}`));
    const attachment = blobs.put(Buffer.from(`attachment of ${email}`));
    writeMessages(
      db,
      account.id,
      Array.from({ length: count }, (_, i) =>
        messageInput({
          remoteId: `${email}-${i}`,
          threadRemoteId: `${email}-t${i % 50}`,
          subject: `${email.split('@')[0]} message ${i}`,
          bodyText: `word${email.split('@')[0]} body ${i}`,
          labelIds: [inbox],
          // Message 0 is the same mail in both accounts: one blob, shared.
          rawSha256: i === 0 ? shared : own,
          attachments:
            i === 1
              ? [
                  {
                    partIndex: 1,
                    remoteId: null,
                    filename: 'a.txt',
                    mimeType: 'text/plain',
                    sizeBytes: 10,
                    contentId: null,
                    isInline: false,
                    blobSha256: attachment,
                  },
                ]
              : [],
        }),
      ),
    );
    const calendar = upsertCalendar(db, account.id, {
      remoteId: `${email}-cal`,
      name: 'Work',
      color: null,
      timeZone: 'UTC',
      isPrimary: true,
    });
    writeEvents(db, calendar, [eventInput({ remoteId: `${email}-e1`, startsAt: 0, endsAt: 3_600_000 })]);
    vault.put(account.id, GOOGLE_TOKENS, JSON.stringify({ refresh_token: `refresh-${email}` }));
    const firstThread = db.prepare('SELECT id FROM threads WHERE account_id = ? LIMIT 1').pluck().get(account.id) as number;
    if (provider === 'gmail') applyThreadAction(db, firstThread, 'archive');
    return { account, own, attachment };
  }

  it("deletes every row of the account and the blobs only it used, and keeps the other account's", async () => {
    const shared = blobs.put(Buffer.from('the same message in both accounts'));
    // More messages than one batch, so the removal goes round its loop.
    const ann = seed('gmail', 'ann@example.test', 2_345, shared);
    const bob = seed('microsoft', 'bob@example.test', 30, shared);
    const bobBefore = footprint(db, bob.account.id);

    const removed = await removeAccount(deps(), ann.account.id);
    expect(removed).toEqual({ messages: 2_345, events: 1, blobsFreed: 2, revoked: false });
    expect(Object.values(footprint(db, ann.account.id)).every((n) => n === 0)).toBe(true);
    expect(db.prepare('SELECT count(*) FROM accounts WHERE id = ?').pluck().get(ann.account.id)).toBe(0);
    // Search forgets it: the full-text rows went with the messages.
    expect(db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'wordann'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'wordbob'").pluck().get()).toBe(30);
    expect(footprint(db, bob.account.id)).toEqual(bobBefore);
    // Ann's own blobs are gone from the table and the disk; the shared one and Bob's stay.
    for (const sha of [ann.own, ann.attachment]) {
      expect(existsSync(blobs.pathOf(sha))).toBe(false);
      expect(db.prepare('SELECT count(*) FROM blobs WHERE sha256 = ?').pluck().get(sha)).toBe(0);
    }
    for (const sha of [shared, bob.own, bob.attachment]) expect(blobs.read(sha).length).toBeGreaterThan(0);
    expect(emitted).toContain('account.removed');
  });

  it('stops the running sync of the account first and starts none of its queued jobs meanwhile', async () => {
    const ann = seed('gmail', 'ann@example.test', 10, blobs.put(Buffer.from('x')));
    const started: string[] = [];
    let wroteAfterStop = false;
    runner = new JobRunner(
      jobs,
      {
        email_sync: async (_job, { signal }) => {
          started.push('sync');
          // A sync that goes on page after page until told to stop.
          while (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, 5));
          wroteAfterStop = db.prepare('SELECT count(*) FROM accounts WHERE id = ?').pluck().get(ann.account.id) === 0;
          return {};
        },
      },
      { log: silentLog },
    );
    jobs.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [ann.account.id] });
    runner.wake();
    await expect.poll(() => started.length).toBe(1);
    jobs.enqueue({ kind: 'calendar_sync', mode: 'incremental', accountIds: [ann.account.id] });
    const removal = removeAccount(deps(), ann.account.id);
    // The calendar job queued behind it never starts for an account on its way out.
    runner.wake();
    await removal;
    expect(started).toEqual(['sync']);
    expect(wroteAfterStop).toBe(false); // the sync had stopped before the account went
    expect(footprint(db, ann.account.id).jobs).toBe(0);
  });

  it('refuses an unknown account without touching anything', async () => {
    const ann = seed('gmail', 'ann@example.test', 5, blobs.put(Buffer.from('x')));
    const before = footprint(db, ann.account.id);
    await expect(removeAccount(deps(), 'acc_nope')).rejects.toBeInstanceOf(AccountNotFoundError);
    expect(footprint(db, ann.account.id)).toEqual(before);
  });
});
