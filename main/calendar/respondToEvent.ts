import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { GRAPH_RESPOND_SCOPES, type ProviderConfig } from '../auth/providerConfig.ts';
import type { TokenVault } from '../auth/tokenVault.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { IndexDb } from '../db/openIndex.ts';
import { getAccount } from '../db/queries/accounts.ts';
import { type Attendee, type EventRow, getEvent } from '../db/queries/calendarEvents.ts';
import { stmt } from '../db/statements.ts';
import { call } from '../providers/gmail/gmailFullSync.ts';
import { type GmailQuotaSettings, openGmailSession } from '../providers/gmail/gmailSession.ts';
import { openGraphClient } from '../providers/graph/graphSession.ts';
import { ProviderError } from '../providers/providerErrors.ts';

/** An invitation's answers, in the index's (Google's) words. */
export type RsvpAnswer = 'accepted' | 'tentative' | 'declined';

export interface RsvpDeps {
  db: IndexDb;
  vault: TokenVault;
  providers: ProviderConfig;
  gmailQuota?: GmailQuotaSettings;
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

/** Graph's action per answer (POST /me/events/{id}/<action>). */
const GRAPH_ACTIONS: Record<RsvpAnswer, string> = {
  accepted: 'accept',
  tentative: 'tentativelyAccept',
  declined: 'decline',
};

/**
 * Answers an invitation for the user: the provider first (Google: events.patch of the attendees
 * with the user's own one changed, guests notified; Graph: accept / tentativelyAccept / decline
 * with a response to the organizer), then the index's attendees in one transaction, so the UI
 * shows the answer at once and the next sync brings back the same. An instance of a series is
 * answered alone: its own id is the instance's.
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
  const calendarRemoteId = stmt<[number], { remote_id: string }>(db, 'SELECT remote_id FROM calendars WHERE id = ?').get(
    row.calendar_id,
  )?.remote_id as string;

  if (account.provider === 'gmail') {
    if (!deps.providers.google)
      throw new ProviderError('not_connected', 'no Google OAuth client is configured (OUTPOST_GOOGLE_CLIENT_ID)');
    const session = openGmailSession(deps.providers.google, deps.vault, account.id, deps.gmailQuota);
    await answerOnGoogle({ session, signal: deps.signal }, calendarRemoteId, row.remote_id, self.email, answer);
  } else if (account.provider === 'microsoft') {
    if (!deps.providers.microsoft)
      throw new ProviderError('not_connected', 'no Microsoft OAuth client is configured (OUTPOST_MICROSOFT_CLIENT_ID)');
    // The one call that needs Calendars.ReadWrite: an account connected before it was asked for must reconnect.
    const client = await openGraphClient(deps.providers.microsoft, deps.vault, account.id, deps.signal, GRAPH_RESPOND_SCOPES);
    await client.request(`/me/events/${encodeURIComponent(row.remote_id)}/${GRAPH_ACTIONS[answer]}`, {
      method: 'POST',
      body: { sendResponse: true },
    });
  } else {
    throw new ProviderError('not_connected', 'this account has no calendar provider');
  }

  // Read again inside the transaction: a sync may have rewritten the attendees while the provider answered.
  return db.transaction(() => {
    const current = getEvent(db, eventId);
    if (!current) throw new RsvpRefusedError('not_found', `evt_${eventId} was removed while it was being answered`);
    const answered = (JSON.parse(current.attendees_json) as Attendee[]).map((a) =>
      a.email === self.email ? { ...a, self: true, response: answer } : a,
    );
    stmt(db, 'UPDATE events SET attendees_json = ? WHERE id = ?').run(JSON.stringify(answered), eventId);
    return getEvent(db, eventId) as EventRow;
  })();
}

/**
 * events.patch replaces the attendees array whole, so it is read fresh from Google first (the
 * index keeps only some of each attendee's fields) and sent back with the user's answer in it.
 */
async function answerOnGoogle(
  ctx: Parameters<typeof call>[0],
  calendarId: string,
  eventId: string,
  email: string,
  answer: RsvpAnswer,
): Promise<void> {
  const calendarApi = calendar({ version: 'v3', auth: ctx.session.oauth, rootUrl: ctx.session.apiRootUrl });
  const event = (await call(ctx, 1, () => calendarApi.events.get({ calendarId, eventId }, { signal: ctx.signal }))).data;
  const isUser = (a: calendar_v3.Schema$EventAttendee) => a.self === true || a.email?.toLowerCase() === email;
  const attendees = event.attendees ?? [];
  if (!attendees.some(isUser))
    throw new RsvpRefusedError('not_invited', 'Google no longer lists you among the guests of this event');
  try {
    await call(ctx, 1, () =>
      calendarApi.events.patch(
        {
          calendarId,
          eventId,
          sendUpdates: 'all',
          requestBody: { attendees: attendees.map((a) => (isUser(a) ? { ...a, responseStatus: answer } : a)) },
        },
        { signal: ctx.signal },
      ),
    );
  } catch (error) {
    // Accounts connected before calendar.events was asked for may read but not write: they must reconnect.
    if (reasonOf((error as { cause?: unknown }).cause) === 'insufficientPermissions')
      throw new ProviderError(
        'needs_reauth',
        'Google has not allowed Outpost to change events of this account (calendar.events); reconnect it to answer invitations',
        403,
      );
    throw error;
  }
}

function reasonOf(error: unknown): string | undefined {
  return (error as { response?: { data?: { error?: { errors?: Array<{ reason?: string }> } } } })?.response?.data?.error
    ?.errors?.[0]?.reason;
}
