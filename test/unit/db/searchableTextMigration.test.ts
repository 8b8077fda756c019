import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../main/db/migrations/index.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('migration 18: a searchable text column in the full-text index', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('keeps every message findable, names attachments at once, and marks kept raw messages to be read again', () => {
    const path = join(dir.path, 'index.sqlite');
    const old = new Database(path);
    for (const m of migrations.filter((m) => m.version <= 17)) m.up(old);
    old.pragma('user_version = 17');
    old.prepare("INSERT INTO accounts (id, provider, email, created_at) VALUES ('acc', 'gmail', 'me@example.test', 0)").run();
    old.prepare("INSERT INTO threads (id, account_id, remote_id) VALUES (1, 'acc', 't1')").run();
    old.prepare("INSERT INTO blobs (sha256, size_bytes) VALUES ('raw1', 10)").run();
    const insert = old.prepare(
      "INSERT INTO messages (account_id, thread_id, remote_id, subject, sent_at, body_text, raw_sha256) VALUES ('acc', 1, ?, ?, 0, 'hello', ?) RETURNING id",
    );
    insert.get('kept', 'Quarterly numbers', 'raw1');
    const { id } = insert.get('graph', 'Quarterly plans', null) as { id: number };
    old
      .prepare(
        "INSERT INTO attachments (message_id, part_index, filename, mime_type, size_bytes, is_inline) VALUES (?, 0, 'Budget forecast.xlsx', 'application/vnd.ms-excel', 10, 0), (?, 1, 'signature.asc', 'application/pgp-signature', 10, 0)",
      )
      .run(id, id);
    old.close();

    const db = openIndex(path);
    const texts = db.prepare('SELECT remote_id, searchable_text FROM messages ORDER BY remote_id').all();
    expect(texts).toEqual([
      { remote_id: 'graph', searchable_text: 'Budget forecast.xlsx' },
      { remote_id: 'kept', searchable_text: null },
    ]);
    const match = (q: string) =>
      db
        .prepare(
          'SELECT m.remote_id FROM messages_fts CROSS JOIN messages m ON m.search_key = messages_fts.rowid WHERE messages_fts MATCH ? ORDER BY m.remote_id',
        )
        .pluck()
        .all(q);
    expect(match('quarterly')).toEqual(['graph', 'kept']);
    expect(match('forecast')).toEqual(['graph']);
    expect(match('signature')).toEqual([]);
    db.close();
  });
});
