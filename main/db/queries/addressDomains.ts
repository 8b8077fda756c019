import type { EmailAddress } from '../../../shared/mailModel.ts';
import type { WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

/**
 * message_address_domains (migration 026): the domain of every address a
 * message is from, to, cc, bcc or delivered to, what `from:redhat.com`,
 * `to:linux.ie` and `deliveredto:linux.ie` search. A domain is stored with its
 * labels reversed and a dot after the last ("x@lists.linux.ie" ->
 * "ie.linux.lists."), so a domain and every domain under it are one range of
 * the primary key: linux.ie is ["ie.linux.", "ie.linux/").
 */
export type AddressDomainField = 'from' | 'to' | 'cc' | 'bcc' | 'delivered_to';

/** The stored form of a domain ("lists.linux.ie" -> "ie.linux.lists."), or null when empty. */
function stored(domain: string): string | null {
  const trimmed = domain.toLowerCase().replace(/^[.-]+|[.-]+$/g, '');
  return trimmed ? `${trimmed.split('.').reverse().join('.')}.` : null;
}

/**
 * The stored domains of one person of a message: the domain of every address
 * in the address and in the name, which some lists and old mailers fill with
 * one ("Fork@Xent.Com" <fork@example.org>, "(Robert Harley harley@argote.ch)"):
 * the full-text phrase found those, and Gmail and notmuch do.
 */
export function storedDomains(person: { name?: string | null | undefined; email?: string | null | undefined }): string[] {
  const found = new Set<string>();
  for (const text of [person.email ?? '', person.name ?? ''])
    for (const match of text.matchAll(/@([\p{L}\p{N}.-]+)/gu)) {
      const domain = stored(match[1] as string);
      if (domain) found.add(domain);
    }
  return [...found];
}

/**
 * Whether a from:/to:/cc:/bcc:/deliveredto: value is a domain (searched in
 * message_address_domains): dotted labels of letters, digits and hyphens, the
 * last starting with a letter ("linux.ie", not "8.0" nor "alice").
 */
export function isDomainQuery(value: string): boolean {
  return /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}[\p{L}\p{N}-]*$/u.test(value);
}

/** The stored range of a domain and the domains under it: [low, high). */
export function domainRange(domain: string): [string, string] {
  const low = stored(domain) as string;
  return [low, `${low.slice(0, -1)}/`];
}

/** A message's from/to/cc/bcc domains replaced by these people's (in the caller's transaction). */
export function replaceAddressDomains(
  db: WritableDb,
  messageId: number,
  people: { from: EmailAddress | null; to: readonly EmailAddress[]; cc: readonly EmailAddress[]; bcc: readonly EmailAddress[] },
): void {
  stmt(db, "DELETE FROM message_address_domains WHERE message_id = ? AND field <> 'delivered_to'").run(messageId);
  insertDomains(db, messageId, 'from', people.from ? [people.from] : []);
  insertDomains(db, messageId, 'to', people.to);
  insertDomains(db, messageId, 'cc', people.cc);
  insertDomains(db, messageId, 'bcc', people.bcc);
}

/** A message's Delivered-To domains replaced by these addresses' (in the caller's transaction). */
export function replaceDeliveredToDomains(db: WritableDb, messageId: number, addresses: readonly string[]): void {
  stmt(db, "DELETE FROM message_address_domains WHERE message_id = ? AND field = 'delivered_to'").run(messageId);
  insertDomains(
    db,
    messageId,
    'delivered_to',
    addresses.map((email) => ({ email })),
  );
}

function insertDomains(
  db: WritableDb,
  messageId: number,
  field: AddressDomainField,
  people: ReadonlyArray<{ name?: string; email: string }>,
): void {
  // With the message's search_key as it is now (a message whose date changes is written again, and so are these rows).
  const insert = stmt(
    db,
    `INSERT OR IGNORE INTO message_address_domains (field, domain, message_id, search_key)
     SELECT ?, ?, id, search_key FROM messages WHERE id = ?`,
  );
  for (const person of people) for (const domain of storedDomains(person)) insert.run(field, domain, messageId);
}
