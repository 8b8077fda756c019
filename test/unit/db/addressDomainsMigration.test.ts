import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Log } from '../../../main/core/log.ts';
import { latestSchemaVersion, migrate, migrations } from '../../../main/db/migrations/index.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { searchMessages } from '../../../main/search/searchMessages.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('migration 26: address domains', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('back-fills the domains of stored messages’ senders, recipients and Delivered-To, and logs what it did', () => {
    const path = join(dir.path, 'index.sqlite');
    const old = new Database(path);
    for (const m of migrations.filter((m) => m.version <= 25)) m.up(old);
    old.pragma('user_version = 25');
    old.prepare("INSERT INTO accounts (id, provider, email, created_at) VALUES ('acc', 'gmail', 'me@example.test', 0)").run();
    old.prepare("INSERT INTO threads (id, account_id, remote_id) VALUES (1, 'acc', 't1')").run();
    const insert = old.prepare(
      `INSERT INTO messages (account_id, thread_id, remote_id, subject, from_name, from_email, to_json, cc_json, bcc_json,
         from_text, recipients_text, sent_at, body_text, searchable_text)
       VALUES ('acc', 1, ?, ?, '', ?, ?, ?, '[]', ?, '', ?, 'hello', '')`,
    );
    const people = (...emails: string[]) => JSON.stringify(emails.map((email) => ({ name: '', email })));
    insert.run('rh', 'rh', 'alice@RedHat.com', people('ilug@linux.ie'), '[]', 'alice@RedHat.com', 3);
    insert.run(
      'sub',
      'sub',
      'bz@bugzilla.redhat.com',
      '[]',
      people('x@lists.linux.ie', 'no-domain'),
      'bz@bugzilla.redhat.com',
      2,
    );
    insert.run('none', 'none', '', '[]', '[]', '', 1);
    const id = old.prepare("SELECT id FROM messages WHERE remote_id = 'none'").pluck().get() as number;
    old
      .prepare("INSERT INTO message_header_addresses (kind, value, message_id) VALUES ('delivered_to', 'ilug@linux.ie', ?)")
      .run(id);
    old.close();

    const logged: unknown[] = [];
    const log = { info: (fields: unknown) => logged.push(fields) } as unknown as Log;
    const db = openIndex(path, { migrate: false });
    expect(migrate(db, log)).toEqual({ from: 25, to: latestSchemaVersion });
    expect(db.prepare('SELECT field, domain FROM message_address_domains ORDER BY field, domain').all()).toEqual([
      { field: 'cc', domain: 'ie.linux.lists.' },
      { field: 'delivered_to', domain: 'ie.linux.' },
      { field: 'from', domain: 'com.redhat.' },
      { field: 'from', domain: 'com.redhat.bugzilla.' },
      { field: 'to', domain: 'ie.linux.' },
    ]);
    // Later migrations log their own lines after it.
    expect(logged[0]).toEqual(
      expect.objectContaining({ version: 26, name: 'address_domains', domains: 5, ms: expect.any(Number) }),
    );
    const found = (q: string) =>
      searchMessages(db, parseSearchQuery(q), { limit: 10 })
        .map((r) => r.subject)
        .sort();
    expect(found('from:redhat.com')).toEqual(['rh', 'sub']);
    expect(found('to:linux.ie')).toEqual(['rh', 'sub']);
    expect(found('deliveredto:linux.ie')).toEqual(['none']);
    // Deleting a message deletes its domains.
    db.prepare("DELETE FROM messages WHERE remote_id = 'rh'").run();
    expect(db.prepare("SELECT count(*) FROM message_address_domains WHERE domain = 'com.redhat.'").pluck().get()).toBe(0);
    db.close();
  });
});
