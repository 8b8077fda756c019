import type { Statement } from 'better-sqlite3';
import type { Log } from '../core/log.ts';
import type { ReadableDb } from './handles.ts';

/** Statements slower than this are logged with their SQL and duration (a query's cost shows before users feel it). */
export const SLOW_QUERY_MS = 40;
/** Prepared statements kept per connection; SQL built per call (an IN list of varying length) would otherwise pile up. */
const CACHE_LIMIT = 500;

interface ConnectionState {
  statements: Map<string, Statement>;
  log: Log | null;
  /** Set while recordStatements() runs: every call's SQL and parameters. */
  recorder: ((call: StatementCall) => void) | null;
}

/** One statement run: its SQL and the parameters it ran with. */
export interface StatementCall {
  sql: string;
  params: unknown[];
}

const connections = new WeakMap<ReadableDb, ConnectionState>();

function stateOf(db: ReadableDb): ConnectionState {
  let state = connections.get(db);
  if (!state) {
    state = { statements: new Map(), log: null, recorder: null };
    connections.set(db, state);
  }
  return state;
}

/** Where this connection reports slow statements (set when the index is opened). */
export function setQueryLog(db: ReadableDb, log: Log): void {
  stateOf(db).log = log;
}

type Mode = 'rows' | 'pluck' | 'raw';

/**
 * A prepared statement for `sql` on `db`, prepared once per connection, whose
 * run/get/all are timed (see SLOW_QUERY_MS). Only main/db calls it.
 */
export function stmt<P extends unknown[] | {} = unknown[], R = unknown>(db: ReadableDb, sql: string): Statement<P, R> {
  return cached(db, sql, 'rows') as unknown as Statement<P, R>;
}

/** The same, returning each row's first column (`SELECT count(*) ...`). */
export function pluckStmt<P extends unknown[] | {} = unknown[], R = unknown>(db: ReadableDb, sql: string): Statement<P, R> {
  return cached(db, sql, 'pluck') as unknown as Statement<P, R>;
}

/** The same, returning rows as arrays of column values. */
export function rawStmt<P extends unknown[] | {} = unknown[]>(db: ReadableDb, sql: string): Statement<P, unknown[]> {
  return cached(db, sql, 'raw') as unknown as Statement<P, unknown[]>;
}

function cached(db: ReadableDb, sql: string, mode: Mode): Statement {
  const state = stateOf(db);
  const key = mode === 'rows' ? sql : `${mode}\u0000${sql}`;
  let prepared = state.statements.get(key);
  if (prepared) {
    // Most recently used last, so the oldest entry is the first to go.
    state.statements.delete(key);
    state.statements.set(key, prepared);
    return prepared;
  }
  prepared = db.prepare(sql);
  if (mode === 'pluck') prepared.pluck();
  if (mode === 'raw') prepared.raw();
  timed(prepared, sql, state);
  state.statements.set(key, prepared);
  if (state.statements.size > CACHE_LIMIT) {
    const oldest = state.statements.keys().next().value;
    if (oldest !== undefined) state.statements.delete(oldest);
  }
  return prepared;
}

function timed(statement: Statement, sql: string, state: ConnectionState): void {
  for (const method of ['run', 'get', 'all'] as const) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    (statement as unknown as Record<string, unknown>)[method] = function timedCall(this: Statement, ...args: unknown[]) {
      state.recorder?.({ sql, params: args });
      const started = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const ms = performance.now() - started;
        if (ms > SLOW_QUERY_MS && state.log)
          // The statement's text only: its parameters can be a user's words or addresses.
          state.log.warn({ ms: Math.round(ms), sql: sql.replace(/\s+/g, ' ').slice(0, 500), method }, 'slow query');
      }
    };
  }
}

/**
 * Runs `work` and returns the statements it ran on `db`, in order: the
 * query-plan tests run the production functions themselves and explain what
 * they executed (main/db/queryPlans.ts), never a copy of their SQL.
 */
export function recordStatements<T>(db: ReadableDb, work: () => T): { result: T; calls: StatementCall[] } {
  const state = stateOf(db);
  const calls: StatementCall[] = [];
  const previous = state.recorder;
  state.recorder = (call) => calls.push(call);
  try {
    return { result: work(), calls };
  } finally {
    state.recorder = previous;
  }
}
