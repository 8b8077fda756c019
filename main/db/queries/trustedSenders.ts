import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

export interface TrustedSenderRow {
  email: string;
  created_at: number;
}

export function listTrustedSenders(db: ReadableDb): TrustedSenderRow[] {
  return stmt<[], TrustedSenderRow>(db, 'SELECT email, created_at FROM trusted_senders ORDER BY email').all();
}

/** Trusts a sender (again: nothing changes). Addresses compare without case (the column is NOCASE). */
export function trustSender(db: WritableDb, email: string, now: number): void {
  stmt(db, 'INSERT OR IGNORE INTO trusted_senders (email, created_at) VALUES (?, ?)').run(email, now);
}

/** False when the sender was not trusted. */
export function distrustSender(db: WritableDb, email: string): boolean {
  return stmt(db, 'DELETE FROM trusted_senders WHERE email = ?').run(email).changes > 0;
}
