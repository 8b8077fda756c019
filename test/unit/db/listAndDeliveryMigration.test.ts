import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../main/db/migrations/index.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { replaceHeaderAddresses } from '../../../main/db/queries/headerAddresses.ts';
import { countMessagesToReindex, messagesToReindex } from '../../../main/db/queries/searchableText.ts';
import { explainStatements } from '../../../main/db/queryPlans.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('migration 21: mailing lists, Delivered-To and Focused/Other', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('marks messages whose raw message is kept to be read again, without touching their searchable text', () => {
    const path = join(dir.path, 'index.sqlite');
    const old = new Database(path);
    for (const m of migrations.filter((m) => m.version <= 20)) m.up(old);
    old.pragma('user_version = 20');
    old.prepare("INSERT INTO accounts (id, provider, email, created_at) VALUES ('acc', 'gmail', 'me@example.test', 0)").run();
    old.prepare("INSERT INTO threads (id, account_id, remote_id) VALUES (1, 'acc', 't1')").run();
    old.prepare("INSERT INTO blobs (sha256, size_bytes) VALUES ('raw1', 10)").run();
    const insert = old.prepare(
      "INSERT INTO messages (account_id, thread_id, remote_id, subject, sent_at, body_text, searchable_text, raw_sha256) VALUES ('acc', 1, ?, 'Hello', 0, 'hello', '', ?)",
    );
    insert.run('kept', 'raw1');
    insert.run('graph', null);
    // Many messages with nothing to read again, as in a real index (the plans below are chosen by the statistics).
    old.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
      INSERT INTO messages (account_id, thread_id, remote_id, subject, sent_at, body_text, searchable_text)
      SELECT 'acc', 1, 'synced' || i, 'Hello', i, 'hello', '' FROM n`);
    old.close();

    const db = openIndex(path);
    db.exec('ANALYZE');
    expect(
      db
        .prepare(
          "SELECT remote_id, headers_to_read, inference_classification FROM messages WHERE remote_id NOT LIKE 'synced%' ORDER BY remote_id",
        )
        .all(),
    ).toEqual([
      { remote_id: 'graph', headers_to_read: 0, inference_classification: null },
      { remote_id: 'kept', headers_to_read: 1, inference_classification: null },
    ]);
    expect(countMessagesToReindex(db)).toBe(1);
    expect(messagesToReindex(db, 10).map((m) => [m.raw_sha256, m.headers_to_read])).toEqual([['raw1', true]]);
    expect(db.prepare("SELECT count(*) FROM messages WHERE searchable_text = ''").pluck().get()).toBe(3002);
    // The re-read finds its messages through the two partial indexes; a message's rows are replaced through by_message.
    const reread = explainStatements(db, () => messagesToReindex(db, 10))
      .map((e) => e.plan)
      .join('\n');
    expect(reread).toMatch(/MERGE \(UNION\)/);
    expect(reread).not.toMatch(/SCAN m\b/);
    expect(reread).toMatch(/USING (COVERING )?INDEX messages_headers_to_read/);
    expect(reread).toMatch(/USING (COVERING )?INDEX messages_to_reindex/);
    const id = db.prepare("SELECT id FROM messages WHERE remote_id = 'kept'").pluck().get() as number;
    const replaced = explainStatements(db, () =>
      replaceHeaderAddresses(db, id, { mailingLists: ['ilug.linux.ie'], deliveredTo: ['me@example.test'] }),
    );
    expect(replaced.find((e) => e.sql.startsWith('DELETE'))?.plan).toMatch(
      /SEARCH message_header_addresses USING COVERING INDEX message_header_addresses_by_message \(message_id=\?\)/,
    );
    // A value Graph might send one day is refused by the schema, never stored half-understood.
    expect(() => db.prepare("UPDATE messages SET inference_classification = 'sideways'").run()).toThrow(/CHECK/);
    db.close();
  });
});
