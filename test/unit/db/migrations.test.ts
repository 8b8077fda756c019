import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestSchemaVersion, migrations } from '../../../main/db/migrations/index.ts';
import { IndexOpenError, openIndex } from '../../../main/db/openIndex.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('opening and migrating the index', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('creates a new index at the latest schema, in WAL mode, with the FTS table', () => {
    const db = openIndex(join(dir.path, 'index.sqlite'));
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of [
      'accounts',
      'labels',
      'threads',
      'messages',
      'message_labels',
      'thread_labels',
      'attachments',
      'blobs',
      'calendars',
      'events',
      'sync_cursors',
      'jobs',
      'sessions',
      'messages_fts',
    ]) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  it('upgrades an index with mail in it: migration 6 re-keys the full-text index by date and keeps every message findable', () => {
    const path = join(dir.path, 'index.sqlite');
    const old = new Database(path);
    for (const m of migrations.filter((m) => m.version <= 5)) m.up(old);
    old.pragma('user_version = 5');
    // Rows as a version-5 Outpost wrote them (today's writers expect today's schema).
    old.prepare("INSERT INTO accounts (id, provider, email, created_at) VALUES ('acc', 'gmail', 'me@example.test', 0)").run();
    old.prepare("INSERT INTO threads (id, account_id, remote_id) VALUES (1, 'acc', 't1'), (2, 'acc', 't2')").run();
    const insert = old.prepare(
      "INSERT INTO messages (account_id, thread_id, remote_id, subject, sent_at, body_text) VALUES ('acc', ?, ?, ?, ?, 'hello world')",
    );
    insert.run(1, 'older', 'Quarterly numbers', Date.UTC(2024, 0, 1));
    insert.run(2, 'newer', 'Quarterly plans', Date.UTC(2025, 0, 1));
    old.close();

    const db = openIndex(path);
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    const found = db
      .prepare(
        `SELECT m.remote_id FROM messages_fts CROSS JOIN messages m ON m.search_key = messages_fts.rowid
         WHERE messages_fts MATCH 'quarterly' ORDER BY messages_fts.rowid DESC`,
      )
      .pluck()
      .all();
    expect(found).toEqual(['newer', 'older']);
    db.close();
  });

  it('reopens an up-to-date index without running migrations again', () => {
    const path = join(dir.path, 'index.sqlite');
    openIndex(path).close();
    const db = openIndex(path);
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    db.close();
  });

  it('creates a missing data directory', () => {
    const db = openIndex(join(dir.path, 'deep', 'er', 'index.sqlite'));
    db.close();
  });

  it('refuses an index written by a newer Outpost and leaves it untouched', () => {
    const path = join(dir.path, 'index.sqlite');
    const raw = new Database(path);
    raw.pragma(`user_version = ${latestSchemaVersion + 5}`);
    raw.close();
    const before = readFileSync(path);
    expect(() => openIndex(path)).toThrowError(/newer Outpost/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('reports a corrupt file as index_corrupt and never deletes or rewrites it', () => {
    const path = join(dir.path, 'index.sqlite');
    const garbage = Buffer.from("this is not a database, but it is the user's file".repeat(100));
    writeFileSync(path, garbage);
    let error: unknown;
    try {
      openIndex(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IndexOpenError);
    expect((error as IndexOpenError).code).toBe('index_corrupt');
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it('reports a data directory that is a file as unwritable', () => {
    const notADir = join(dir.path, 'file');
    writeFileSync(notADir, 'x');
    expect(() => openIndex(join(notADir, 'index.sqlite'))).toThrowError(IndexOpenError);
  });

  it('migration 13 turns waiting label-string changes into typed records, the way the old pushers read them', () => {
    const path = join(dir.path, 'index.sqlite');
    const old = new Database(path);
    for (const m of migrations.filter((m) => m.version <= 12)) m.up(old);
    old.pragma('user_version = 12');
    old
      .prepare(
        "INSERT INTO accounts (id, provider, email, created_at) VALUES ('g', 'gmail', 'g@example.test', 0), ('o', 'microsoft', 'o@example.test', 0)",
      )
      .run();
    const label = old.prepare('INSERT INTO labels (account_id, remote_id, name, kind, role) VALUES (?, ?, ?, ?, ?)');
    label.run('g', 'INBOX', 'Inbox', 'system', 'inbox');
    label.run('g', 'SPAM', 'Spam', 'system', 'spam');
    label.run('g', 'Label_7', 'Work', 'user', null);
    label.run('o', 'fld-inbox', 'Inbox', 'folder', 'inbox');
    label.run('o', 'fld-archive', 'Archive', 'folder', 'archive');
    label.run('o', 'category:Red', 'Red', 'category', null);
    const change = old.prepare(
      'INSERT INTO pending_changes (account_id, message_remote_id, add_labels, remove_labels, created_at) VALUES (?, ?, ?, ?, 0)',
    );
    change.run('g', 'a', '[]', '["INBOX"]'); // archive
    change.run('g', 'a', '["STARRED"]', '[]'); // star
    change.run('g', 'a', '[]', '["UNREAD"]'); // read
    change.run('g', 'a', '["Label_7"]', '[]'); // label
    change.run('g', 'a', '["SPAM"]', '["INBOX"]'); // spam
    change.run('g', 'a', '["Label_7"]', '["INBOX"]'); // move to a label
    change.run('o', 'm', '["fld-archive"]', '["fld-inbox"]'); // an Outlook move
    change.run('o', 'm', '["category:Red"]', '[]'); // a category
    change.run('o', 'm', '["UNREAD"]', '[]'); // unread
    old.close();

    const db = openIndex(path);
    const rows = db.prepare('SELECT account_id, message_remote_id, change_json FROM pending_changes ORDER BY id').all() as Array<{
      account_id: string;
      message_remote_id: string;
      change_json: string;
    }>;
    const place = (remoteId: string, kind: string, role: string | null) => ({ remoteId, kind, role });
    expect(rows.map((r) => [r.account_id, r.message_remote_id, JSON.parse(r.change_json)])).toEqual([
      ['g', 'a', { type: 'move', to: null, from: [place('INBOX', 'system', 'inbox')] }],
      ['g', 'a', { type: 'starred', starred: true }],
      ['g', 'a', { type: 'read', read: true }],
      ['g', 'a', { type: 'label', add: [place('Label_7', 'user', null)], remove: [] }],
      ['g', 'a', { type: 'move', to: place('SPAM', 'system', 'spam'), from: [place('INBOX', 'system', 'inbox')] }],
      ['g', 'a', { type: 'move', to: place('Label_7', 'user', null), from: [place('INBOX', 'system', 'inbox')] }],
      ['o', 'm', { type: 'move', to: place('fld-archive', 'folder', 'archive'), from: [place('fld-inbox', 'folder', 'inbox')] }],
      ['o', 'm', { type: 'label', add: [place('category:Red', 'category', null)], remove: [] }],
      ['o', 'm', { type: 'read', read: false }],
    ]);
    db.close();
  });
});
