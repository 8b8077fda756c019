import Database from 'better-sqlite3';
import type { WritableDb } from './handles.ts';
import { isCorruptionError } from './integrity.ts';
import { stmt } from './statements.ts';
import { transaction } from './transactions.ts';

/**
 * What can still be read from a damaged index (`outpost repair`). SQLite
 * often reads the intact parts of a damaged file: each table is read on its
 * own, in key order, a page that cannot be read skipped (its rows are lost),
 * so one bad page costs only the rows on it.
 */

/** Tables copied as they are (ids kept: a message's labels name label ids). Threads and messages are rebuilt, not copied. */
const KEPT_TABLES = [
  'accounts',
  'credentials',
  'labels',
  'api_keys',
  'webhook_subscriptions',
  'trusted_senders',
  // Mail handed to Outpost and not sent yet, and what each Idempotency-Key answered: a send is never lost or made twice.
  // (An outbox row's raw message must have its blob row first: main/core/indexRepair.ts registers it.)
  'idempotency_keys',
  'outbox',
] as const;

/** One message's facts that its raw bytes do not carry: its account, provider ids, thread, flags, labels. */
export interface SalvagedMessage {
  accountId: string;
  remoteId: string;
  threadRemoteId: string | null;
  sentAt: number;
  isUnread: boolean;
  isStarred: boolean;
  isImportant: boolean;
  isDraft: boolean;
  rawSha256: string;
  labelIds: number[];
}

export interface Salvage {
  /** Rows read per kept table (accounts, credentials, labels, ...). */
  tables: Record<string, Array<Record<string, unknown>>>;
  /** Messages whose raw bytes were kept, with their facts. */
  messages: SalvagedMessage[];
  /** Tables (or parts of them) that could not be read, in SQLite's words. */
  unreadable: string[];
}

type Row = Record<string, unknown>;

/** Reads what it can from the damaged index at `path` (read-only: the file is never written). */
export function salvageIndex(path: string): Salvage {
  const salvage: Salvage = { tables: {}, messages: [], unreadable: [] };
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    salvage.unreadable.push(`the whole file: ${(error as Error).message}`);
    return salvage;
  }
  try {
    const read = (table: string, columns: string, key: string | null) => {
      const { rows, failures } = key === null ? readWhole(db, table) : readTolerantly(db, table, columns, key);
      if (failures.length > 0)
        salvage.unreadable.push(`${table}: ${failures[0]}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}`);
      return rows;
    };
    for (const table of KEPT_TABLES) salvage.tables[table] = read(table, '*', keyOf(table));
    const threads = new Map<number, string>();
    for (const row of read('threads', 'id, remote_id', 'id')) threads.set(row.id as number, row.remote_id as string);
    const labels = new Map<number, number[]>();
    for (const row of read('message_labels', 'message_id, label_id', 'message_id')) {
      const list = labels.get(row.message_id as number) ?? [];
      list.push(row.label_id as number);
      labels.set(row.message_id as number, list);
    }
    const messageColumns =
      'id, account_id, remote_id, thread_id, sent_at, is_unread, is_starred, is_important, is_draft, raw_sha256';
    for (const row of read('messages', messageColumns, 'id')) {
      if (typeof row.raw_sha256 !== 'string') continue;
      salvage.messages.push({
        accountId: row.account_id as string,
        remoteId: row.remote_id as string,
        threadRemoteId: threads.get(row.thread_id as number) ?? null,
        sentAt: row.sent_at as number,
        isUnread: row.is_unread === 1,
        isStarred: row.is_starred === 1,
        isImportant: row.is_important === 1,
        isDraft: row.is_draft === 1,
        rawSha256: row.raw_sha256,
        labelIds: labels.get(row.id as number) ?? [],
      });
    }
  } finally {
    db.close();
  }
  return salvage;
}

/** Writes the kept tables' rows into a new index (columns both schemas have; a row that no longer fits is left out). */
export function restoreKeptTables(db: WritableDb, salvage: Salvage): Record<string, number> {
  const restored: Record<string, number> = {};
  transaction(db, () => {
    for (const table of KEPT_TABLES) {
      const rows = salvage.tables[table] ?? [];
      const known = new Set((db.pragma(`table_info(${quote(table)})`) as Array<{ name: string }>).map((c) => c.name));
      restored[table] = 0;
      for (const row of rows) {
        const columns = Object.keys(row).filter((column) => known.has(column));
        const sql = `INSERT OR IGNORE INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
        try {
          restored[table] += stmt(db, sql).run(...columns.map((column) => row[column])).changes;
        } catch {
          // A row the new schema refuses (a constraint it did not have): left out, counted by its absence.
        }
      }
    }
  });
  return restored;
}

/** WITHOUT ROWID tables (small: sign-ins, trusted senders, idempotency keys) are read whole; the others by rowid. */
function keyOf(table: string): string | null {
  return table === 'credentials' || table === 'trusted_senders' || table === 'idempotency_keys' ? null : 'rowid';
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** A small table in one statement: all of it, or nothing when a page of it cannot be read. */
function readWhole(db: Database.Database, table: string): { rows: Row[]; failures: string[] } {
  try {
    return { rows: db.prepare(`SELECT * FROM ${quote(table)}`).all() as Row[], failures: [] };
  } catch (error) {
    return { rows: [], failures: [(error as Error).message] };
  }
}

/**
 * Every readable row of `table`, in `key` order (a numeric key: rowid, id), a batch at a time. When a
 * batch meets a damaged page, the rows are taken one by one; past a row that
 * cannot be reached, the first key from which reading works again is found
 * (steps doubling, then halving back), so a hole costs only its own rows.
 */
function readTolerantly(db: Database.Database, table: string, columns: string, key: string): { rows: Row[]; failures: string[] } {
  const rows: Row[] = [];
  const failures: string[] = [];
  let batch: Database.Statement;
  let single: Database.Statement;
  try {
    const select = (limit: number) =>
      db.prepare(`SELECT ${columns}, ${key} AS salvage_key FROM ${quote(table)} WHERE ${key} > ? ORDER BY ${key} LIMIT ${limit}`);
    batch = select(500);
    single = select(1);
  } catch (error) {
    return { rows, failures: [(error as Error).message] };
  }
  let after: number = Number.MIN_SAFE_INTEGER;
  const take = (found: Row[]) => {
    for (const row of found) {
      after = row.salvage_key as number;
      delete row.salvage_key;
      rows.push(row);
    }
    return found.length;
  };
  /** Whether rows after `from` can be read (a corrupt page answers false; another error is thrown). */
  const readable = (from: number) => {
    try {
      single.all(from);
      return true;
    } catch (error) {
      if (!isCorruptionError(error)) throw error;
      return false;
    }
  };
  try {
    for (;;) {
      try {
        if (take(batch.all(after) as Row[]) < 500) return { rows, failures };
        continue;
      } catch (error) {
        if (!isCorruptionError(error)) throw error;
      }
      try {
        if (take(single.all(after) as Row[]) === 0) return { rows, failures };
        continue;
      } catch (error) {
        if (!isCorruptionError(error)) throw error;
        failures.push((error as Error).message);
      }
      // Rows after `after` cannot be read: find the smallest key from which they can.
      let bad: number = after === Number.MIN_SAFE_INTEGER ? -1 : after;
      let step = 1;
      let good = bad + step;
      while (!readable(good)) {
        bad = good;
        step *= 2;
        good = bad + step;
        if (good > Number.MAX_SAFE_INTEGER / 2) return { rows, failures };
      }
      while (good - bad > 1) {
        const middle = bad + Math.floor((good - bad) / 2);
        if (readable(middle)) good = middle;
        else bad = middle;
      }
      after = good;
    }
  } catch (error) {
    failures.push((error as Error).message);
    return { rows, failures };
  }
}
