import type { EmulatorRequest, Route } from '../kit/types.ts';
import { changeEvent, isOrganizer, requireCalendar, requireEventOrOccurrence } from './calendarRoutes.ts';
import type { StoredEvent } from './calendarStore.ts';
import { graphError, parseJsonBody } from './errors.ts';
import { type GraphEnv, type GraphUser, graphRoutes } from './graphContext.ts';
import { buildMime } from './mimeBuild.ts';
import { ianaZone } from './windowsZones.ts';

type Action = 'accept' | 'tentativelyAccept' | 'decline';
type DateTimeTZ = { dateTime?: unknown; timeZone?: unknown };
type GraphAttendee = { status?: { response?: string; time?: string }; emailAddress?: { address?: string } };

/** Per action: the attendee status it sets, the subject prefix of the response mail, its parameters. */
const ACTIONS: Record<Action, { response: string; prefix: string; organizerCode: string; params: string[] }> = {
  accept: {
    response: 'accepted',
    prefix: 'Accepted',
    organizerCode: 'ErrorCalendarIsOrganizerForAccept',
    params: ['comment', 'sendResponse'],
  },
  tentativelyAccept: {
    response: 'tentativelyAccepted',
    prefix: 'Tentative',
    organizerCode: 'ErrorCalendarIsOrganizerForTentative',
    params: ['comment', 'sendResponse', 'proposedNewTime'],
  },
  decline: {
    response: 'declined',
    prefix: 'Declined',
    organizerCode: 'ErrorCalendarIsOrganizerForDecline',
    params: ['comment', 'sendResponse', 'proposedNewTime'],
  },
};

interface ResponseBody {
  comment: string;
  sendResponse: boolean;
  proposedNewTime?: { start: DateTimeTZ; end: DateTimeTZ };
}

const bodyRead = (message: string) => graphError(400, 'RequestBodyRead', message);
const invalid = (message: string) => graphError(400, 'ErrorInvalidRequest', `Your request can't be completed. ${message}`);

/** The action's parameters as the reference lists them: anything else is OData's 400. */
function readBody(req: EmulatorRequest, action: Action): ResponseBody {
  const b = req.body.length ? parseJsonBody(req.body) : {};
  for (const key of Object.keys(b))
    if (!ACTIONS[action].params.includes(key))
      throw bodyRead(`The parameter '${key}' in the request payload is not a valid parameter for the operation '${action}'.`);
  if (b.comment != null && typeof b.comment !== 'string')
    throw bodyRead(`Cannot convert the literal '${JSON.stringify(b.comment)}' to the expected type 'Edm.String'.`);
  if (b.sendResponse != null && typeof b.sendResponse !== 'boolean')
    throw bodyRead("Cannot convert the literal to the expected type 'Edm.Boolean'.");
  const out: ResponseBody = { comment: (b.comment as string | null) ?? '', sendResponse: b.sendResponse !== false };
  if (b.proposedNewTime == null) return out;
  const slot = b.proposedNewTime as { start?: DateTimeTZ; end?: DateTimeTZ };
  for (const edge of [slot.start, slot.end]) {
    if (typeof edge?.dateTime !== 'string' || !Number.isFinite(Date.parse(`${edge.dateTime.slice(0, 19)}Z`)))
      throw invalid('The proposed new time needs a valid start and end.');
    ianaZone(typeof edge.timeZone === 'string' ? edge.timeZone : undefined);
  }
  return { ...out, proposedNewTime: slot as ResponseBody['proposedNewTime'] };
}

/** The meeting response Exchange sends the organizer, delivered when the organizer is a mailbox here. */
function sendToOrganizer(env: GraphEnv, u: GraphUser, ev: StoredEvent, action: Action, body: ResponseBody): void {
  const organizer = (ev.data.organizer as { emailAddress?: { address?: string } } | undefined)?.emailAddress?.address;
  const to = [...env.users.values()].find((x) => x.mailbox.upn.toLowerCase() === organizer?.toLowerCase());
  if (!to) return;
  const subject = `${body.proposedNewTime ? 'New Time Proposed' : ACTIONS[action].prefix}: ${String(ev.data.subject ?? '')}`;
  const proposal = body.proposedNewTime
    ? `\r\n\r\nProposed new time: ${body.proposedNewTime.start.dateTime} - ${body.proposedNewTime.end.dateTime} (${body.proposedNewTime.start.timeZone ?? 'UTC'})`
    : '';
  const raw = buildMime({
    from: u.mailbox.upn,
    to: [to.mailbox.upn],
    cc: [],
    subject,
    html: false,
    content: `${body.comment}${proposal}`,
    attachments: [],
    messageId: `<response-${env.ctx.now()}-${Math.random().toString(36).slice(2)}@contoso.test>`,
    headers: {},
    date: new Date(env.ctx.now()),
  });
  to.mailbox.addMessage(raw, to.mailbox.folder('inbox')!.id, { receivedDateTime: env.ctx.now() });
}

/**
 * accept / tentativelyAccept / decline under events/{id}, calendar/events/{id} and
 * calendars/{id}/events/{id}: 202 with no body; the user's attendee and the event's responseStatus
 * take the answer (an occurrence becomes an exception first), calendarView/delta reports it, and
 * with sendResponse (default true) the organizer gets the response mail, "New Time Proposed" when
 * it carries proposedNewTime (tentativelyAccept and decline only; 400 with sendResponse false or
 * when the event does not allowNewTimeProposals). The organizer cannot answer its own meeting.
 */
export function eventResponseRoutes(env: GraphEnv): Route[] {
  const respond = (action: Action, calendarOf?: (req: EmulatorRequest, u: GraphUser) => string) => {
    return (req: EmulatorRequest, u: GraphUser) => {
      const body = readBody(req, action);
      const calendarId = calendarOf?.(req, u);
      const ev = requireEventOrOccurrence(u.calendars, req.params.id!, calendarId);
      if (isOrganizer(ev))
        throw graphError(
          400,
          ACTIONS[action].organizerCode,
          "You can't respond to this meeting because you're the meeting organizer.",
        );
      if (body.proposedNewTime && !body.sendResponse)
        throw invalid('A new time can be proposed only when a response is sent (sendResponse true).');
      if (body.proposedNewTime && ev.data.allowNewTimeProposals === false)
        throw invalid("The meeting organizer doesn't allow new time proposals.");
      const { response } = ACTIONS[action];
      const time = new Date(env.ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const upn = u.mailbox.upn.toLowerCase();
      changeEvent(u.calendars, ev, () => {
        ev.data.attendees = ((ev.data.attendees as GraphAttendee[] | undefined) ?? []).map((a) =>
          a.emailAddress?.address?.toLowerCase() === upn ? { ...a, status: { response, time } } : a,
        );
        ev.data.responseStatus = { response, time };
        u.calendars.touch(ev);
      });
      if (body.sendResponse) sendToOrganizer(env, u, ev, action, body);
      return { status: 202 };
    };
  };
  return (Object.keys(ACTIONS) as Action[]).flatMap((action) => [
    ...graphRoutes(env, 'POST', `/events/:id/${action}`, `graph.events.${action}`, respond(action)),
    ...graphRoutes(
      env,
      'POST',
      `/calendar/events/:id/${action}`,
      `graph.events.${action}`,
      respond(action, (_req, u) => u.calendars.defaultCalendar.id),
    ),
    ...graphRoutes(
      env,
      'POST',
      `/calendars/:cal/events/:id/${action}`,
      `graph.events.${action}`,
      respond(action, (req, u) => requireCalendar(u.calendars, req.params.cal!).id),
    ),
  ]);
}
