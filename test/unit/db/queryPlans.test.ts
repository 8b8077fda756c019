import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { storedAttachmentsOf } from '../../../main/db/queries/attachments.ts';
import { releaseNotedBlobs } from '../../../main/db/queries/blobReferences.ts';
import { listEventsInRange } from '../../../main/db/queries/calendarEvents.ts';
import { matchingContacts } from '../../../main/db/queries/contacts.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { newInboxMessages } from '../../../main/db/queries/newMail.ts';
import { findMessages } from '../../../main/db/queries/search.ts';
import {
  getThreadRow,
  labelIdsOfThreads,
  listThreadsByLabels,
  listThreadsOfAccount,
  messagesOfThread,
  threadRowsByIds,
} from '../../../main/db/queries/threadReads.ts';
import { explainStatements } from '../../../main/db/queryPlans.ts';
import { findThreadByReferences } from '../../../main/mail/threading.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** More matches than search ranks (2,000), so a common word takes the newest-first path. */
const COMMON = 2_100;

/**
 * The hot read paths must be index range scans, never table scans or temp
 * sorts. Each test runs the production function and explains the statements
 * it ran, with their own parameters (main/db/queryPlans.ts), so a change to
 * the SQL that loses an index fails here.
 */
describe('query plans of the hot read paths', () => {
  let db: WritableDb;
  let accountId: string;
  let inbox: number;
  beforeAll(() => {
    db = openIndex(':memory:');
    const seeded = seedAccount(db);
    accountId = seeded.account.id;
    inbox = seeded.inbox;
    writeMessages(
      db,
      accountId,
      Array.from({ length: COMMON + 20 }, (_, i) =>
        messageInput({
          remoteId: `m${i}`,
          threadRemoteId: `t${i % 300}`,
          bodyText: i < COMMON ? 'the weekly digest' : 'a rare word',
          from: { name: `Ann Sender ${i % 50}`, email: `ann${i % 50}@example.test` },
          labelIds: [i % 7 === 0 ? seeded.sent : inbox],
          sentAt: Date.UTC(2026, 0, 1) + i * 60_000,
        }),
      ),
    );
  });
  afterAll(() => db.close());

  /** The plans of every statement `work` ran, one after another; `work` must have run at least one. */
  const plansOf = (work: () => unknown): string => {
    const explained = explainStatements(db, work);
    expect(explained.length).toBeGreaterThan(0);
    return explained.map((statement) => statement.plan).join('\n');
  };
  const FULL_SCAN_OF_MESSAGES = /^SCAN (m|sm|messages)$/m;

  it('lists a label newest first from thread_labels_by_date without sorting, starred looked up in one probe', () => {
    const plan = plansOf(() => expect(listThreadsByLabels(db, [inbox], 50)).toHaveLength(50));
    expect(plan).toMatch(/SEARCH tl USING COVERING INDEX thread_labels_by_date/);
    expect(plan).toMatch(/SEARCH sm USING COVERING INDEX messages_starred_by_thread \(thread_id=\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('lists all mail of an account from threads_by_account_date without sorting', () => {
    const plan = plansOf(() => listThreadsOfAccount(db, accountId, 50));
    expect(plan).toMatch(/SEARCH t USING (COVERING )?INDEX threads_by_account_date/);
    expect(plan).toMatch(/messages_starred_by_thread/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('reads one thread, and threads by id, through the primary key', () => {
    const one = plansOf(() => getThreadRow(db, 1));
    expect(one).toMatch(/SEARCH t USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(one).toMatch(/messages_starred_by_thread/);
    const several = plansOf(() => expect(threadRowsByIds(db, [3, 1, 2])).toHaveLength(3));
    expect(several).toMatch(/SEARCH t USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(several).not.toMatch(/^SCAN t$/m);
  });

  it("reads a thread's messages in order from messages_by_thread, and a page's labels from thread_labels_by_thread", () => {
    const messages = plansOf(() => messagesOfThread(db, 1));
    expect(messages).toMatch(/SEARCH messages USING (COVERING )?INDEX messages_by_thread/);
    expect(messages).not.toMatch(/TEMP B-TREE/);
    expect(plansOf(() => labelIdsOfThreads(db, [1, 2]))).toMatch(/thread_labels_by_thread/);
  });

  it('threads replies by Message-ID through messages_by_rfc822_id', () => {
    const plan = plansOf(() => findThreadByReferences(db, accountId, ['m1@example.test'], 'Subject m1'));
    expect(plan).toMatch(/SEARCH m USING INDEX messages_by_rfc822_id/);
  });

  it('finds the events of a time range through bounded scans of events_by_start and events_long', () => {
    const plan = plansOf(() => listEventsInRange(db, { from: 0, to: Date.UTC(2026, 0, 8) }));
    expect(plan).toMatch(/SEARCH e USING (COVERING )?INDEX events_by_start \(starts_at>\? AND starts_at<\?\)/);
    expect(plan).toMatch(/SEARCH e USING INDEX events_long \(ends_at>\?\)/);
  });

  it('walks a common word newest first down the full-text index without sorting, filters included', () => {
    const statements = explainStatements(db, () =>
      expect(findMessages(db, parseSearchQuery('digest label:inbox'), { limit: 20, offset: 0 }).rows).toHaveLength(20),
    );
    const walk = statements.find((s) => s.sql.includes('ORDER BY messages_fts.rowid DESC'))?.plan ?? '';
    expect(walk).toMatch(/SCAN messages_fts VIRTUAL TABLE/);
    expect(walk).toMatch(/SEARCH m USING INDEX messages_by_search_key/);
    // The label filter: the few matching labels, then their messages by message_labels_by_label.
    expect(walk).toMatch(/SEARCH ml USING COVERING INDEX message_labels_by_label \(label_id=\?\)/);
    expect(walk).not.toMatch(/TEMP B-TREE/);
    expect(statements.map((s) => s.plan).join('\n')).not.toMatch(FULL_SCAN_OF_MESSAGES);
  });

  it('ranks a rare word by bm25 over its few matches, reading messages by search_key and id', () => {
    const statements = explainStatements(db, () =>
      expect(
        findMessages(db, parseSearchQuery('rare'), { accountId, limit: 20, offset: 0, sort: 'relevance' }).rows,
      ).toHaveLength(20),
    );
    const ranked = statements.find((s) => s.sql.includes('bm25('))?.plan ?? '';
    expect(ranked).toMatch(/SCAN messages_fts VIRTUAL TABLE/);
    expect(ranked).toMatch(/SEARCH m USING INDEX messages_by_search_key/);
    const rows = statements.find((s) => s.sql.includes('json_each'))?.plan ?? '';
    expect(rows).toMatch(/SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(statements.map((s) => s.plan).join('\n')).not.toMatch(FULL_SCAN_OF_MESSAGES);
  });

  it('completes a recipient from the newest full-text matches, never scanning all mail', () => {
    const plan = plansOf(() => expect(matchingContacts(db, 'ann', 8).length).toBeGreaterThan(0));
    expect(plan).toMatch(/SCAN messages_fts VIRTUAL TABLE/);
    expect(plan).toMatch(/SEARCH m USING INDEX messages_by_search_key/);
    expect(plan).toMatch(/SEARCH l USING COVERING INDEX labels_by_role/);
    expect(plan).toMatch(/SEARCH ml USING COVERING INDEX message_labels_by_label/);
    expect(plan).not.toMatch(FULL_SCAN_OF_MESSAGES);
  });

  it('finds new inbox mail by a range of row ids, not by walking the account', () => {
    const plan = plansOf(() => newInboxMessages(db, { after: 100, upTo: 200, accountIds: [accountId], limit: 50 }));
    expect(plan).toMatch(/SEARCH m USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    expect(plan).not.toMatch(/messages_by_account_date/);
  });

  it('checks the blobs noted for the clean-up by sha256 range, each reference looked up in its blob index', () => {
    const plan = plansOf(() => releaseNotedBlobs(db, '', 500, 0));
    expect(plan).toMatch(/SEARCH c USING PRIMARY KEY \(sha256>\?\)/);
    for (const index of ['messages_by_raw_blob', 'attachments_by_blob', 'outbox_by_raw_blob'])
      expect(plan).toMatch(new RegExp(`SEARCH \\w+ USING COVERING INDEX ${index} \\(\\w+=\\?\\)`));
    expect(plan).not.toMatch(/SCAN/);
  });

  it("reads a message's stored attachments by (account, remote id) and (message, part)", () => {
    const plan = plansOf(() => storedAttachmentsOf(db, accountId, 'm1'));
    expect(plan).toMatch(/SEARCH m USING INDEX \S+ \(account_id=\? AND remote_id=\?\)/);
    expect(plan).toMatch(/SEARCH a USING (COVERING )?INDEX \S+ \(message_id=\?\)/);
    expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
  });
});
