import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../main/db/migrations/index.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('migration 17: has:attachment of stored messages means a file a person attached', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('clears the flag of messages and threads whose only parts are signatures, bounce reports or inline images', () => {
    const path = join(dir.path, 'index.sqlite');
    const old = new Database(path);
    for (const m of migrations.filter((m) => m.version <= 16)) m.up(old);
    old.pragma('user_version = 16');
    // Rows as a version-16 Outpost wrote them: every part that was not inline counted.
    old.prepare("INSERT INTO accounts (id, provider, email, created_at) VALUES ('acc', 'gmail', 'me@example.test', 0)").run();
    const thread = old.prepare("INSERT INTO threads (account_id, remote_id, has_attachments) VALUES ('acc', ?, 1) RETURNING id");
    const message = old.prepare(
      "INSERT INTO messages (account_id, thread_id, remote_id, sent_at, has_attachments) VALUES ('acc', ?, ?, 0, 1) RETURNING id",
    );
    const part = old.prepare(
      'INSERT INTO attachments (message_id, part_index, filename, mime_type, size_bytes, is_inline) VALUES (?, ?, ?, ?, 10, ?)',
    );
    const store = (remoteId: string, parts: Array<[filename: string, mimeType: string, inline: 0 | 1]>, threadId?: number) => {
      const threadRow = threadId ?? (thread.get(`t-${remoteId}`) as { id: number }).id;
      const { id } = message.get(threadRow, remoteId) as { id: number };
      for (const [index, [filename, mimeType, inline]] of parts.entries()) part.run(id, index, filename, mimeType, inline);
      return threadRow;
    };
    store('signed', [['', 'application/pgp-signature', 0]]);
    store('smime', [['smime.p7s', 'application/x-pkcs7-signature', 0]]);
    store('bounce', [
      ['', 'message/delivery-status', 0],
      ['', 'text/rfc822-headers', 0],
    ]);
    store('inline-image', [['logo.png', 'image/png', 1]]);
    store('patch', [
      ['exmh-patch', 'text/plain', 0],
      ['', 'application/pgp-signature', 0],
    ]);
    const mixed = store('mixed-signed', [['', 'application/pgp-signature', 0]]);
    store('mixed-file', [['report.pdf', 'application/pdf', 0]], mixed);
    old.close();

    const db = openIndex(path);
    const flagged = db.prepare('SELECT remote_id FROM messages WHERE has_attachments = 1 ORDER BY remote_id').pluck().all();
    expect(flagged).toEqual(['mixed-file', 'patch']);
    const threads = db.prepare('SELECT remote_id FROM threads WHERE has_attachments = 1 ORDER BY remote_id').pluck().all();
    expect(threads).toEqual(['t-mixed-signed', 't-patch']);
    db.close();
  });
});
