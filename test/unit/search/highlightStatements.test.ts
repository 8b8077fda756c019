import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { recordStatements } from '../../../main/db/statements.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { HIGHLIGHT_START, searchPage } from '../../../main/search/searchMessages.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** A page's highlighting reads its messages' texts in one statement, not one per row (~0.8 ms a page of 26). */
describe('highlighting a page', () => {
  let db: IndexDb;
  beforeAll(() => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    writeMessages(
      db,
      account.id,
      Array.from({ length: 40 }, (_, i) =>
        messageInput({
          remoteId: `m${i}`,
          bodyText: `note ${i}: the freetype build is fixed`,
          labelIds: [inbox],
          sentAt: Date.UTC(2026, 0, 1) + i * 60_000,
        }),
      ),
    );
  });
  afterAll(() => db.close());

  it('reads the texts of all 26 rows in one statement, and marks each row', () => {
    const { result, calls } = recordStatements(db, () =>
      searchPage(db, parseSearchQuery('freetype'), { limit: 26, group: 'threads' }),
    );
    expect(result.rows).toHaveLength(26);
    for (const row of result.rows) expect(row.highlight).toContain(`${HIGHLIGHT_START}freetype`);
    const texts = calls.filter((c) => /\bbody_text\b/.test(c.sql) && !/messages_fts/.test(c.sql));
    expect(texts).toHaveLength(1);
  });
});
