import type { WritableDb } from './handles.ts';

/**
 * What a committed transaction changed in the mail of one account: every
 * thread it touched (public ids), the threads it removed, and what kind of
 * change it was. The writer collects these while the transaction runs and
 * hands them on only after the commit (core turns them into `mail.changed`).
 */
export interface MailChange {
  accountId: string;
  threadIds: number[];
  removedThreadIds: number[];
  /** messages: mail added or deleted; flags: read or starred; labels: labels or folders. */
  what: Array<'messages' | 'flags' | 'labels'>;
}

type MailChangeListener = (changes: readonly MailChange[]) => void;

interface PendingChange {
  threads: Set<number>;
  removed: Set<number>;
  what: Set<MailChange['what'][number]>;
}

interface Frame {
  effects: Array<() => void>;
  mail: Map<string, PendingChange>;
}

interface WriterState {
  /** One frame per open transaction() (nested ones are savepoints): dropped with their savepoint on failure. */
  frames: Frame[];
  mailListeners: Set<MailChangeListener>;
  onEffectError: (error: unknown) => void;
}

const writers = new WeakMap<WritableDb, WriterState>();

function stateOf(db: WritableDb): WriterState {
  let state = writers.get(db);
  if (!state) {
    state = { frames: [], mailListeners: new Set(), onEffectError: () => {} };
    writers.set(db, state);
  }
  return state;
}

/** How a failing after-commit effect is reported (the engine logs it); it never undoes the commit or stops the others. */
export function onAfterCommitError(db: WritableDb, report: (error: unknown) => void): void {
  stateOf(db).onEffectError = report;
}

/**
 * Runs `work` in a transaction (a savepoint when one is open). Effects
 * registered with afterCommit() while it runs happen after the outermost
 * commit, in order; a rolled-back transaction (or savepoint) drops its own.
 * Every transaction of the index goes through here.
 */
export function transaction<T>(db: WritableDb, work: () => T, behaviour: 'deferred' | 'immediate' = 'deferred'): T {
  const state = stateOf(db);
  const frame: Frame = { effects: [], mail: new Map() };
  state.frames.push(frame);
  let result: T;
  try {
    const run = db.transaction(work);
    result = behaviour === 'immediate' && state.frames.length === 1 ? run.immediate() : run();
  } catch (error) {
    state.frames.pop();
    throw error;
  }
  state.frames.pop();
  const outer = state.frames.at(-1);
  if (outer) {
    outer.effects.push(...frame.effects);
    for (const [accountId, change] of frame.mail) mergeMail(outer.mail, accountId, change);
    return result;
  }
  flush(state, frame);
  return result;
}

/**
 * Runs `effect` once what is being written is committed: at once outside a
 * transaction, else after the outermost commit (never if it rolls back).
 * Events go out this way, so a listener never runs inside a transaction and
 * never sees (or announces) a change that was rolled back.
 */
export function afterCommit(db: WritableDb, effect: () => void): void {
  const state = stateOf(db);
  const frame = state.frames.at(-1);
  if (frame) {
    frame.effects.push(effect);
    return;
  }
  if (db.inTransaction) throw new Error('afterCommit inside a transaction not opened with transaction()');
  runEffect(state, effect);
}

/** Records that the current transaction changed these threads of an account (main/db's writers call it). */
export function noteMailChange(
  db: WritableDb,
  accountId: string,
  change: { threadIds?: Iterable<number>; removedThreadIds?: Iterable<number>; what: MailChange['what'][number] },
): void {
  const state = stateOf(db);
  const pending: PendingChange = {
    threads: new Set(change.threadIds ?? []),
    removed: new Set(change.removedThreadIds ?? []),
    what: new Set([change.what]),
  };
  const frame = state.frames.at(-1);
  if (frame) {
    mergeMail(frame.mail, accountId, pending);
    return;
  }
  if (db.inTransaction) throw new Error('noteMailChange inside a transaction not opened with transaction()');
  flush(state, { effects: [], mail: new Map([[accountId, pending]]) });
}

/** Listens to committed mail changes (the engine turns them into `mail.changed` events). */
export function onMailChanges(db: WritableDb, listener: MailChangeListener): () => void {
  const listeners = stateOf(db).mailListeners;
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function mergeMail(into: Map<string, PendingChange>, accountId: string, change: PendingChange): void {
  const existing = into.get(accountId);
  if (!existing) {
    into.set(accountId, { threads: new Set(change.threads), removed: new Set(change.removed), what: new Set(change.what) });
    return;
  }
  for (const id of change.threads) existing.threads.add(id);
  for (const id of change.removed) existing.removed.add(id);
  for (const what of change.what) existing.what.add(what);
}

function flush(state: WriterState, frame: Frame): void {
  for (const effect of frame.effects) runEffect(state, effect);
  if (frame.mail.size === 0 || state.mailListeners.size === 0) return;
  const changes: MailChange[] = [...frame.mail].map(([accountId, change]) => ({
    accountId,
    // A thread removed in the end is reported removed only.
    threadIds: [...change.threads].filter((id) => !change.removed.has(id)),
    removedThreadIds: [...change.removed],
    what: [...change.what],
  }));
  for (const listener of state.mailListeners) runEffect(state, () => listener(changes));
}

function runEffect(state: WriterState, effect: () => void): void {
  try {
    effect();
  } catch (error) {
    state.onEffectError(error);
  }
}
