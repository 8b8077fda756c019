import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../index.ts';
import { signIn } from './testAuth.ts';

let emu: RunningEmulator;
let token: string;
// biome-ignore lint/suspicious/noExplicitAny: test reads arbitrary JSON
type Json = any;
const g = (path: string, init: RequestInit = {}) =>
  fetch(`${emu.baseUrl}/v1.0/me${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  }) as Promise<Omit<Response, 'json'> & { json(): Promise<Json> }>;
const control = async (path: string, body: object): Promise<Json> =>
  (await fetch(`${emu.controlUrl}/microsoft${path}`, { method: 'POST', body: JSON.stringify(body) })).json();
const WINDOW = 'startDateTime=2026-09-01T00:00:00Z&endDateTime=2027-03-01T00:00:00Z';

/** An invitation in bob's calendar from someone else, bob among its attendees. */
const invitation = (subject: string, extra: object = {}) =>
  control('/events', {
    event: {
      subject,
      start: { dateTime: '2026-10-14T15:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-10-14T16:00:00', timeZone: 'UTC' },
      organizer: { emailAddress: { name: 'Alice', address: 'alice@contoso.test' } },
      attendees: [
        { type: 'required', status: { response: 'none' }, emailAddress: { name: 'Bob', address: 'bob@contoso.test' } },
        { type: 'required', status: { response: 'accepted' }, emailAddress: { name: 'Carol', address: 'carol@fabrikam.test' } },
      ],
      ...extra,
    },
  });

async function drain(url: string) {
  const items: Json[] = [];
  for (;;) {
    const body = await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json();
    items.push(...(body as Json).value);
    if ((body as Json)['@odata.nextLink']) url = (body as Json)['@odata.nextLink'];
    else return { items, deltaLink: (body as Json)['@odata.deltaLink'] as string };
  }
}

beforeAll(async () => {
  emu = await startEmulator({ seed: { kind: 'corpus' }, autoConsent: true });
  token = await signIn(emu.baseUrl);
});
afterAll(() => emu?.stop());

describe('Graph event responses (accept, tentativelyAccept, decline)', () => {
  it('an invitation reads as not answered by the user, who is not its organizer', async () => {
    const { id } = await invitation('Design review');
    const event = await (await g(`/events/${id}`)).json();
    expect(event).toMatchObject({ isOrganizer: false, responseStatus: { response: 'notResponded' } });
  });

  it.each([
    ['accept', 'accepted'],
    ['tentativelyAccept', 'tentativelyAccepted'],
    ['decline', 'declined'],
  ])('%s: 202 with no body; the attendee and responseStatus say %s, the others unchanged', async (action, response) => {
    const { id } = await invitation(`Answered with ${action}`);
    const res = await g(`/events/${id}/${action}`, { method: 'POST', body: JSON.stringify({ sendResponse: true }) });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    const event = await (await g(`/events/${id}`)).json();
    expect(event.responseStatus.response).toBe(response);
    expect(event.attendees.map((a: Json) => [a.emailAddress.address, a.status.response])).toEqual([
      ['bob@contoso.test', response],
      ['carol@fabrikam.test', 'accepted'],
    ]);
  });

  it('calendarView/delta reports the answered event in the next round', async () => {
    const { id } = await invitation('Quarterly planning');
    const first = await drain(`${emu.baseUrl}/v1.0/me/calendarView/delta?${WINDOW}`);
    expect((await g(`/events/${id}/decline`, { method: 'POST', body: '{"sendResponse":true}' })).status).toBe(202);
    const next = await drain(first.deltaLink);
    expect(next.items.map((e) => e.id)).toEqual([id]);
    expect(next.items[0].attendees[0].status.response).toBe('declined');
  });

  it('an occurrence is answered alone: it becomes an exception with the same id', async () => {
    const { id: master } = await invitation('Weekly 1:1', {
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['wednesday'] },
        range: { type: 'numbered', startDate: '2026-10-14', numberOfOccurrences: 4 },
      },
    });
    const view = await (await g(`/calendarView?${WINDOW}&$top=1000`)).json();
    const occurrences = view.value.filter((e: Json) => e.seriesMasterId === master);
    expect(occurrences).toHaveLength(4);
    expect((await g(`/events/${occurrences[1].id}/tentativelyAccept`, { method: 'POST', body: '{}' })).status).toBe(202);
    const after = (await (await g(`/calendarView?${WINDOW}&$top=1000`)).json()).value.filter(
      (e: Json) => e.seriesMasterId === master,
    );
    expect(after.map((e: Json) => [e.id, e.type, e.responseStatus.response])).toEqual([
      [occurrences[0].id, 'occurrence', 'notResponded'],
      [occurrences[1].id, 'exception', 'tentativelyAccepted'],
      [occurrences[2].id, 'occurrence', 'notResponded'],
      [occurrences[3].id, 'occurrence', 'notResponded'],
    ]);
  });

  it('an unknown id is 404 ErrorItemNotFound', async () => {
    const res = await g('/events/AAMkunknown/accept', { method: 'POST', body: '{"sendResponse":true}' });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('ErrorItemNotFound');
  });

  it('the organizer answering its own meeting is 400, the event unchanged', async () => {
    const created = await (
      await g('/events', {
        method: 'POST',
        body: JSON.stringify({
          subject: 'My own meeting',
          start: { dateTime: '2026-10-20T09:00:00', timeZone: 'UTC' },
          end: { dateTime: '2026-10-20T10:00:00', timeZone: 'UTC' },
          attendees: [{ type: 'required', emailAddress: { address: 'carol@fabrikam.test' } }],
        }),
      })
    ).json();
    expect(created).toMatchObject({ isOrganizer: true, responseStatus: { response: 'organizer' } });
    const res = await g(`/events/${created.id}/decline`, { method: 'POST', body: '{"sendResponse":true}' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('ErrorCalendarIsOrganizerForDecline');
    expect((await (await g(`/events/${created.id}`)).json()).responseStatus.response).toBe('organizer');
  });
});

describe('Graph event responses: the request body as the reference defines it (comment, sendResponse, proposedNewTime)', () => {
  let aliceToken: string;
  const aliceInbox = async (): Promise<Json[]> => {
    const res = await fetch(`${emu.baseUrl}/v1.0/me/mailFolders/inbox/messages?$top=100&$select=subject,body,from`, {
      headers: { authorization: `Bearer ${aliceToken}` },
    });
    return ((await res.json()) as Json).value;
  };
  const PROPOSAL = {
    start: { dateTime: '2026-10-15T15:00:00', timeZone: 'UTC' },
    end: { dateTime: '2026-10-15T16:00:00', timeZone: 'UTC' },
  };
  beforeAll(async () => {
    aliceToken = await signIn(emu.baseUrl, 'alice@contoso.test');
  });

  it.each([
    ['accept', 'Accepted'],
    ['tentativelyAccept', 'Tentative'],
    ['decline', 'Declined'],
  ])('%s sends the organizer "%s: <subject>" with the comment (sendResponse defaults to true)', async (action, prefix) => {
    const { id } = await invitation(`Response mail ${action}`);
    const res = await g(`/events/${id}/${action}`, { method: 'POST', body: JSON.stringify({ comment: `Answer by ${action}` }) });
    expect(res.status).toBe(202);
    const mail = (await aliceInbox()).filter((m) => m.subject === `${prefix}: Response mail ${action}`);
    expect(mail).toHaveLength(1);
    expect(mail[0].from.emailAddress.address).toBe('bob@contoso.test');
    expect(mail[0].body.content).toContain(`Answer by ${action}`);
  });

  it('sendResponse false records the answer and sends nothing', async () => {
    const { id } = await invitation('Quiet answer');
    expect((await g(`/events/${id}/accept`, { method: 'POST', body: '{"sendResponse":false,"comment":"x"}' })).status).toBe(202);
    expect((await (await g(`/events/${id}`)).json()).responseStatus.response).toBe('accepted');
    expect((await aliceInbox()).filter((m) => m.subject.includes('Quiet answer'))).toEqual([]);
  });

  it.each([
    ['tentativelyAccept', 'tentativelyAccepted'],
    ['decline', 'declined'],
  ])(
    '%s with proposedNewTime: 202, the organizer gets "New Time Proposed", the event keeps its time',
    async (action, response) => {
      const { id } = await invitation(`Proposal ${action}`);
      const res = await g(`/events/${id}/${action}`, {
        method: 'POST',
        body: JSON.stringify({ comment: 'Next day?', sendResponse: true, proposedNewTime: PROPOSAL }),
      });
      expect(res.status).toBe(202);
      const event = await (await g(`/events/${id}`)).json();
      expect(event.responseStatus.response).toBe(response);
      expect(event.start.dateTime).toBe('2026-10-14T15:00:00.0000000');
      const mail = (await aliceInbox()).filter((m) => m.subject === `New Time Proposed: Proposal ${action}`);
      expect(mail).toHaveLength(1);
      expect(mail[0].body.content).toContain('Next day?');
    },
  );

  it('proposedNewTime is refused (400, nothing recorded) with sendResponse false, when the event allows no proposals, or when malformed', async () => {
    const { id } = await invitation('No proposals here', { allowNewTimeProposals: false });
    expect((await (await g(`/events/${id}`)).json()).allowNewTimeProposals).toBe(false);
    const { id: open } = await invitation('Proposals welcome');
    expect((await (await g(`/events/${open}`)).json()).allowNewTimeProposals).toBe(true);
    for (const [eventId, body] of [
      [id, { sendResponse: true, proposedNewTime: PROPOSAL }],
      [open, { sendResponse: false, proposedNewTime: PROPOSAL }],
      [open, { proposedNewTime: { start: PROPOSAL.start } }],
      [open, { proposedNewTime: { start: { dateTime: 'soon', timeZone: 'UTC' }, end: PROPOSAL.end } }],
    ] as const) {
      const res = await g(`/events/${eventId}/tentativelyAccept`, { method: 'POST', body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('ErrorInvalidRequest');
      expect((await (await g(`/events/${eventId}`)).json()).responseStatus.response).toBe('notResponded');
    }
  });

  it('accept takes no proposedNewTime; unknown parameters and a comment that is not text are 400 RequestBodyRead', async () => {
    const { id } = await invitation('Strict body');
    for (const [action, body, message] of [
      [
        'accept',
        { proposedNewTime: PROPOSAL },
        "The parameter 'proposedNewTime' in the request payload is not a valid parameter for the operation 'accept'.",
      ],
      [
        'decline',
        { reason: 'busy' },
        "The parameter 'reason' in the request payload is not a valid parameter for the operation 'decline'.",
      ],
      ['accept', { comment: 42 }, "Cannot convert the literal '42' to the expected type 'Edm.String'."],
    ] as const) {
      const res = await g(`/events/${id}/${action}`, { method: 'POST', body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'RequestBodyRead', message });
    }
    expect((await (await g(`/events/${id}`)).json()).responseStatus.response).toBe('notResponded');
  });

  it('is reached through calendar/events/{id} and calendars/{id}/events/{id} as documented', async () => {
    const own = (await (await g('/calendars')).json()).value.find((c: Json) => c.isDefaultCalendar).id;
    const { id: first } = await invitation('Via calendar');
    expect((await g(`/calendar/events/${first}/accept`, { method: 'POST', body: '{"sendResponse":false}' })).status).toBe(202);
    const { id: second } = await invitation('Via calendars');
    const res = await g(`/calendars/${own}/events/${second}/decline`, { method: 'POST', body: '{"sendResponse":false}' });
    expect(res.status).toBe(202);
    expect((await (await g(`/events/${second}`)).json()).responseStatus.response).toBe('declined');
  });
});
