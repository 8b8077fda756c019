import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

/** Stores a sealed secret of an account (main/auth/tokenVault.ts seals and opens them). */
export function putCredential(db: WritableDb, accountId: string, name: string, sealed: Buffer, now: number): void {
  stmt(
    db,
    `INSERT INTO credentials (account_id, name, sealed, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (account_id, name) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at`,
  ).run(accountId, name, sealed, now);
}

export function getCredential(db: ReadableDb, accountId: string, name: string): Buffer | undefined {
  return stmt<[string, string], { sealed: Buffer }>(db, 'SELECT sealed FROM credentials WHERE account_id = ? AND name = ?').get(
    accountId,
    name,
  )?.sealed;
}

/** Deletes one secret of an account, or all of them without a name. */
export function deleteCredentials(db: WritableDb, accountId: string, name?: string): void {
  if (name === undefined) stmt(db, 'DELETE FROM credentials WHERE account_id = ?').run(accountId);
  else stmt(db, 'DELETE FROM credentials WHERE account_id = ? AND name = ?').run(accountId, name);
}
