import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { OutpostError } from '../../core/outpostError.ts';
import type { InvitationAnswer } from '../accountProvider.ts';
import { googleReasonOf } from '../gmail/gmailErrors.ts';
import { call } from '../gmail/gmailFullSync.ts';
import type { GmailSession } from '../gmail/gmailSession.ts';
import { ProviderError } from '../providerErrors.ts';

/**
 * Answers an invitation on Google Calendar: events.patch of the attendees
 * with the user's own answer changed, guests notified (sendUpdates=all).
 * The patch replaces the attendees array whole, so it is read fresh from
 * Google first (the index keeps only some of each attendee's fields).
 */
export async function answerOnGoogle(session: GmailSession, invitation: InvitationAnswer, signal?: AbortSignal): Promise<void> {
  const ctx = { session, signal };
  const { calendarRemoteId: calendarId, eventRemoteId: eventId, answer } = invitation;
  const email = invitation.attendeeEmail.toLowerCase();
  const calendarApi = calendar({ version: 'v3', auth: session.oauth, rootUrl: session.apiRootUrl });
  const event = (await call(ctx, 1, () => calendarApi.events.get({ calendarId, eventId }, { signal }))).data;
  const isUser = (a: calendar_v3.Schema$EventAttendee) => a.self === true || a.email?.toLowerCase() === email;
  const attendees = event.attendees ?? [];
  if (!attendees.some(isUser))
    throw new OutpostError('validation_error', 'Google no longer lists you among the guests of this event', {
      field: 'response',
    });
  try {
    await call(ctx, 1, () =>
      calendarApi.events.patch(
        {
          calendarId,
          eventId,
          sendUpdates: 'all',
          requestBody: { attendees: attendees.map((a) => (isUser(a) ? { ...a, responseStatus: answer } : a)) },
        },
        { signal },
      ),
    );
  } catch (error) {
    // Accounts connected before calendar.events was asked for may read but not write: they must reconnect.
    if (googleReasonOf((error as { cause?: unknown }).cause) === 'insufficientPermissions')
      throw new ProviderError(
        'needs_reauth',
        'Google has not allowed Outpost to change events of this account (calendar.events); reconnect it to answer invitations',
        403,
      );
    throw error;
  }
}
