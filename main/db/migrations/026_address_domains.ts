import type { Database } from 'better-sqlite3';
import { storedDomains } from '../queries/addressDomains.ts';

/**
 * The domains of the addresses a message is from, to, cc, bcc and delivered
 * to, so `from:redhat.com` or `deliveredto:linux.ie` is one range of a key
 * (the domain and the domains under it) instead of a full-text phrase whose
 * "com" or "ie" is in most messages' senders (`from:redhat.com python`: FTS5
 * read every position of "com" in 83,000 messages). Stored reversed with a
 * trailing dot (queries/addressDomains.ts: "lists.linux.ie" is
 * "ie.linux.lists."). The primary key (field, domain, message_id) is the
 * lookup; by_message serves rewrites, deletes and the probe of a large domain.
 * Each row keeps its message's search_key (the full-text rowid and the date
 * order), so a domain's messages meet the words' matches in the index, and
 * only the messages in both are read (`from:linux.ie kernel`: 31 of 644).
 * Back-filled here from the stored addresses and Delivered-To rows, in one
 * statement each (an SQL function computes the stored form).
 */
export function up(db: Database): { domains: number } {
  db.exec(`
    CREATE TABLE message_address_domains (
      field      TEXT NOT NULL CHECK (field IN ('from', 'to', 'cc', 'bcc', 'delivered_to')),
      domain     TEXT NOT NULL,
      message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      search_key INTEGER NOT NULL,
      PRIMARY KEY (field, domain, message_id)
    ) WITHOUT ROWID;
  `);
  // A person's stored domains as a JSON array (queries/addressDomains.ts decides them, here as when a message is written).
  db.function('outpost_domains', { deterministic: true }, (name: unknown, email: unknown) =>
    JSON.stringify(storedDomains({ name: typeof name === 'string' ? name : '', email: typeof email === 'string' ? email : '' })),
  );
  const people = (column: string) => `messages m, json_each(m.${column}) j,
           json_each(outpost_domains(j.value ->> 'name', j.value ->> 'email')) d`;
  const { changes } = db
    .prepare(
      `INSERT OR IGNORE INTO message_address_domains (field, domain, message_id, search_key)
       SELECT field, domain, message_id, search_key FROM (
         SELECT 'from' AS field, d.value AS domain, m.id AS message_id, m.search_key AS search_key
           FROM messages m, json_each(outpost_domains(m.from_name, m.from_email)) d
         UNION ALL SELECT 'to', d.value, m.id, m.search_key FROM ${people('to_json')}
         UNION ALL SELECT 'cc', d.value, m.id, m.search_key FROM ${people('cc_json')}
         UNION ALL SELECT 'bcc', d.value, m.id, m.search_key FROM ${people('bcc_json')}
         UNION ALL SELECT 'delivered_to', d.value, m.id, m.search_key
           FROM message_header_addresses h CROSS JOIN messages m ON m.id = h.message_id,
             json_each(outpost_domains(NULL, h.value)) d WHERE h.kind = 'delivered_to'
       ) ORDER BY field, domain, message_id`,
    )
    .run();
  db.exec('CREATE INDEX message_address_domains_by_message ON message_address_domains (message_id)');
  return { domains: changes };
}
