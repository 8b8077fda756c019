import type { WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { replaceDeliveredToDomains } from './addressDomains.ts';

/**
 * message_header_addresses (migration 021): a message's mailing lists and
 * Delivered-To addresses, what `list:` and `deliveredto:` search. A list is
 * kept as its dotted name with the labels reversed ("ilug.linux.ie" ->
 * "ie.linux.ilug"), so the lists of a domain are one range of the primary key.
 */
export function storedListName(dotted: string): string {
  return dotted.split('.').reverse().join('.');
}

/** A message's list and Delivered-To rows replaced by these (in the caller's transaction). */
export function replaceHeaderAddresses(
  db: WritableDb,
  messageId: number,
  addresses: { mailingLists: readonly string[]; deliveredTo: readonly string[] },
): void {
  stmt(db, 'DELETE FROM message_header_addresses WHERE message_id = ?').run(messageId);
  const insert = stmt(db, 'INSERT OR IGNORE INTO message_header_addresses (kind, value, message_id) VALUES (?, ?, ?)');
  for (const list of addresses.mailingLists) if (list) insert.run('list', storedListName(list), messageId);
  for (const address of addresses.deliveredTo) if (address) insert.run('delivered_to', address, messageId);
  replaceDeliveredToDomains(db, messageId, addresses.deliveredTo);
  stmt(db, 'UPDATE messages SET headers_to_read = 0 WHERE id = ? AND headers_to_read = 1').run(messageId);
}
