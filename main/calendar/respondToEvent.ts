import { OutpostError } from '../core/outpostError.ts';
import type { WritableDb } from '../db/handles.ts';
import { getAccount } from '../db/queries/accounts.ts';
import { type Attendee, calendarRemoteId, type EventRow, getEvent, setEventAttendees } from '../db/queries/calendarEvents.ts';
import { transaction } from '../db/transactions.ts';
import type { RsvpAnswer } from '../providers/accountProvider.ts';
import { ProviderError } from '../providers/providerErrors.ts';
import type { ProviderRegistry } from '../providers/registry.ts';

/** An invitation's answers, in the index's (Google's) words. */
export type { RsvpAnswer };

export interface RsvpDeps {
  db: WritableDb;
  providers: ProviderRegistry;
  signal?: AbortSignal;
}

/** Why an answer was not even sent: the event is unknown, or the user is not someone who answers it. */
export class RsvpRefusedError extends OutpostError {
  readonly reason: 'not_found' | 'not_invited' | 'organizer';
  constructor(reason: RsvpRefusedError['reason'], message: string) {
    super(reason === 'not_found' ? 'not_found' : 'validation_error', message, {
      field: reason === 'not_found' ? undefined : 'response',
    });
    this.reason = reason;
  }
}

/**
 * Answers an invitation for the user: the provider first (its module notifies the organizer),
 * then the index's attendees in one transaction, so the UI shows the answer at once and the next
 * sync brings back the same. An instance of a series is answered alone: its own id is the
 * instance's. A provider's failure is reported as the answer not sent, with the reason.
 */
export async function respondToEvent(deps: RsvpDeps, eventId: number, answer: RsvpAnswer): Promise<EventRow> {
  const { db } = deps;
  const row = getEvent(db, eventId);
  if (!row) throw new RsvpRefusedError('not_found', `no event evt_${eventId}`);
  const account = getAccount(db, row.account_id);
  if (!account) throw new ProviderError('not_connected', `account ${row.account_id} is not connected`);
  const email = account.email.toLowerCase();
  const attendees = JSON.parse(row.attendees_json) as Attendee[];
  const organizer = row.organizer_json ? (JSON.parse(row.organizer_json) as { email: string }) : null;
  const self = attendees.find((a) => a.self) ?? attendees.find((a) => a.email === email);
  if (self?.organizer || organizer?.email.toLowerCase() === email)
    throw new RsvpRefusedError('organizer', 'you organize this event; only its guests answer the invitation');
  if (!self)
    throw new RsvpRefusedError('not_invited', 'you are not among the guests of this event, so there is no invitation to answer');

  try {
    await deps.providers
      .of(account)
      .session(account, deps.signal)
      .answerInvitation({
        calendarRemoteId: calendarRemoteId(db, row.calendar_id) as string,
        eventRemoteId: row.remote_id,
        attendeeEmail: self.email,
        answer,
      });
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    const hint = error.code === 'needs_reauth' ? '; reconnect the account' : '';
    throw new ProviderError(error.code, `the answer was not sent: ${error.message}${hint}`, error.status);
  }

  // Read again inside the transaction: a sync may have rewritten the attendees while the provider answered.
  return transaction(db, () => {
    const current = getEvent(db, eventId);
    if (!current) throw new RsvpRefusedError('not_found', `evt_${eventId} was removed while it was being answered`);
    const answered = (JSON.parse(current.attendees_json) as Attendee[]).map((a) =>
      a.email === self.email ? { ...a, self: true, response: answer } : a,
    );
    setEventAttendees(db, eventId, answered);
    return getEvent(db, eventId) as EventRow;
  });
}
