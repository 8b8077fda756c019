import type { EventBus } from '../core/eventBus.ts';
import type { Log } from '../core/log.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { WritableDb } from '../db/handles.ts';
import {
  deleteSeriesMadeHere,
  type EventEdit,
  noteEventEditFailure,
  queuedEventEdits,
  renameCreatedEvent,
  setEventEtag,
  settleEventEdit,
} from '../db/queries/eventEdits.ts';
import { transaction } from '../db/transactions.ts';
import type { AccountSession, EventWriteOutcome } from '../providers/accountProvider.ts';
import { ProviderError } from '../providers/providerErrors.ts';
import type { JobQueue } from '../sync/jobQueue.ts';
import { SyncInProgressError } from '../sync/jobQueue.ts';
import type { JobRunner } from '../sync/jobRunner.ts';

export interface EventEditPushDeps {
  db: WritableDb;
  events: EventBus;
  log: Log;
}

/**
 * The provider refused the edit itself (it would refuse it again), or the edit cannot be written for it
 * (a series moved to another day whose rule names dates): anything else is worth another try.
 */
function refusedForGood(error: unknown): error is OutpostError {
  if (error instanceof ProviderError)
    return error.code === 'provider_error' && [400, 403, 404, 409, 410, 412, 422].includes(error.status ?? 0);
  return error instanceof OutpostError && error.code === 'validation_error';
}

/** An edit as events and the log name it: a series edit is an update or a delete. */
const editKind = (edit: EventEdit) =>
  edit.type === 'update_series' ? 'update' : edit.type === 'delete_series' ? 'delete' : edit.type;

/**
 * Tells the provider the account's queued event edits, in the order they were made, before a calendar
 * sync pulls (so the sync brings them back confirmed). Each edit the provider took is forgotten as it goes,
 * with the provider's id and version of the event written to the index; an edit the provider refuses for
 * good is dropped and reported (calendar.edit_failed), and the sync then shows the provider's copy; any
 * other failure stops here, the rest queued for the next sync. A change made at the provider meanwhile is
 * settled by the provider module (the later one wins) and reported (calendar.edit_conflict, a log line).
 * Returns how many edits went, and how many were refused (the caller's sync then lists the calendars in
 * full, so the index shows the provider's copy again at once).
 */
export async function pushEventEdits(
  deps: EventEditPushDeps,
  session: AccountSession,
  accountId: string,
): Promise<{ pushed: number; refused: number }> {
  const { db, log } = deps;
  let pushed = 0;
  let refused = 0;
  for (const { id, edit } of queuedEventEdits(db, accountId)) {
    let outcome: EventWriteOutcome;
    try {
      outcome = await session.writeEvent(edit);
    } catch (error) {
      if (!refusedForGood(error)) {
        noteEventEditFailure(db, id, (error as Error).message);
        throw error;
      }
      settleEventEdit(db, id);
      refused++;
      log.warn(
        { account_id: accountId, event: edit.eventRemoteId, edit: editKind(edit), err: error },
        'the provider refused an event edit; dropped',
      );
      deps.events.emit({
        type: 'calendar.edit_failed',
        account_id: accountId,
        provider_event_id: edit.eventRemoteId,
        edit: editKind(edit),
        reason: {
          code: error.code,
          message: error.message,
          provider_status: error instanceof ProviderError ? (error.status ?? null) : null,
        },
      });
      continue;
    }
    transaction(db, () => {
      settleEventEdit(db, id);
      recordOutcome(db, accountId, edit, outcome);
    });
    pushed++;
    if (outcome.conflict && edit.type !== 'create') {
      log.warn(
        { account_id: accountId, event: edit.eventRemoteId, edit: editKind(edit), kept: outcome.conflict.kept },
        outcome.conflict.kept === 'provider'
          ? 'the event changed at the provider after it was edited here: the provider’s later change was kept'
          : 'the event changed at the provider before it was edited here: the later edit from here replaced it',
      );
      deps.events.emit({
        type: 'calendar.edit_conflict',
        account_id: accountId,
        provider_event_id: edit.eventRemoteId,
        edit: editKind(edit) === 'delete' ? 'delete' : 'update',
        kept: outcome.conflict.kept,
      });
    }
  }
  if (pushed > 0) log.info({ account_id: accountId, pushed }, 'event edits pushed');
  return { pushed, refused };
}

/** The index after a pushed edit: a created event under the provider's id, the provider's version of the event. */
function recordOutcome(db: WritableDb, accountId: string, edit: EventEdit, outcome: EventWriteOutcome): void {
  if (!outcome.remoteId || (edit.type !== 'create' && edit.type !== 'update') || outcome.conflict?.kept === 'provider') return;
  if (edit.type === 'create' && edit.fields.recurrence) {
    // The instances shown since it was made give way to the provider's, which the sync that follows brings;
    // edits made to the series meanwhile now name the provider's id.
    renameCreatedEvent(db, accountId, edit.calendarRemoteId, edit.eventRemoteId, outcome.remoteId);
    deleteSeriesMadeHere(db, accountId, edit.calendarRemoteId, edit.eventRemoteId);
    return;
  }
  if (edit.type === 'create') renameCreatedEvent(db, accountId, edit.calendarRemoteId, edit.eventRemoteId, outcome.remoteId);
  setEventEtag(db, accountId, edit.calendarRemoteId, outcome.remoteId, outcome.etag);
}

/**
 * An edit was queued: a calendar sync of the account soon pushes it (none is added while one waits to
 * start; a full sync under way pushes it at the next one).
 */
export function pushEventEditsSoon(jobs: JobQueue, runner: JobRunner, accountId: string): void {
  if (jobs.latest('calendar_sync', accountId)?.status === 'queued') return;
  try {
    jobs.enqueue({ kind: 'calendar_sync', mode: 'incremental', accountIds: [accountId], params: { trigger: 'calendar-edit' } });
    runner.wake();
  } catch (error) {
    if (!(error instanceof SyncInProgressError)) throw error;
  }
}
