import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../main/db/migrations/index.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { searchMessages } from '../../../main/search/searchMessages.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('migration 20: an unstemmed index for prefixes as typed', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('indexes the messages already stored, searchable text included, and keeps up with later writes', () => {
    const path = join(dir.path, 'index.sqlite');
    const old = new Database(path);
    for (const m of migrations.filter((m) => m.version < 20)) m.up(old);
    old.pragma('user_version = 19');
    old.prepare("INSERT INTO accounts (id, provider, email, created_at) VALUES ('acc', 'gmail', 'me@example.test', 0)").run();
    old.prepare("INSERT INTO threads (id, account_id, remote_id) VALUES (1, 'acc', 't1')").run();
    const insert = old.prepare(
      "INSERT INTO messages (account_id, thread_id, remote_id, subject, sent_at, body_text, searchable_text) VALUES ('acc', 1, ?, ?, ?, ?, ?)",
    );
    insert.run('old', 'Team meeting', 1_000, 'notes', null);
    insert.run('html', 'Fonts', 2_000, 'see the HTML part', 'building freetype from source');
    old.close();

    const db = openIndex(path);
    const ids = (q: string) =>
      searchMessages(db, parseSearchQuery(q), { limit: 10, prefixLast: true })
        .map((r) => String(db.prepare('SELECT remote_id FROM messages WHERE id = ?').pluck().get(r.id)))
        .sort();
    expect(ids('meetin')).toEqual(['old']);
    expect(ids('freety')).toEqual(['html']);
    db.prepare("UPDATE messages SET searchable_text = 'nothing here' WHERE remote_id = 'html'").run();
    expect(ids('freety')).toEqual([]);
    db.prepare("DELETE FROM messages WHERE remote_id = 'old'").run();
    expect(ids('meetin')).toEqual([]);
    // FTS5 checks the index against the messages it was built from (throws SQLITE_CORRUPT_VTAB when they differ).
    expect(() => db.prepare("INSERT INTO messages_prefix (messages_prefix) VALUES ('integrity-check')").run()).not.toThrow();
    db.close();
  });
});
