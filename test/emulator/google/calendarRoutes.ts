/** Google Calendar v3: calendarList.list, events.list/get/insert/patch/delete (+ instances of recurring series). */
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { EmulatorContext, EmulatorRequest, Route } from '../kit/types.ts';
import { calendarEditRoutes } from './calendarEdits.ts';
import { parseRule, RuleError } from './calendarRecurrence.ts';
import {
  type Calendar,
  type CalendarAccount,
  type CalendarEvent,
  instanceSuffix,
  occurrences,
  startMillis,
} from './calendarStore.ts';
import { badRequest, googleError, notFound } from './errors.ts';
import { intParam, jsonBody, pageToken, readPageToken } from './gmailAccess.ts';
import type { GoogleOAuth } from './oauth.ts';

export const READ = [
  'https://www.googleapis.com/auth/calendar',
  'https://www.googleapis.com/auth/calendar.readonly',
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.events.readonly',
];
export const WRITE = ['https://www.googleapis.com/auth/calendar', 'https://www.googleapis.com/auth/calendar.events'];
const C = '/calendar/v3/calendars/:calendarId/events';

export interface CalendarDeps {
  ctx: EmulatorContext;
  oauth: GoogleOAuth;
  accounts: Map<string, CalendarAccount>;
  /** The daily quota (shared with Gmail): refuses with 403 dailyLimitExceeded while used up. */
  quota?: { checkDaily(now: number): void; checkCalendar?(): void };
}

export function serializeEvent(cal: Calendar, ev: CalendarEvent): Record<string, unknown> {
  const { seq, ...rest } = ev;
  const out: Record<string, unknown> = {
    kind: 'calendar#event',
    etag: `"${seq}"`,
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${ev.id} ${cal.id}`).toString('base64url')}`,
    ...rest,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  if (ev.status === 'cancelled' && ev.recurringEventId === undefined)
    return { kind: 'calendar#event', etag: out.etag, id: ev.id, status: 'cancelled' };
  return out;
}

/** One page of an Events collection (events.list, events.instances): nextPageToken when more follow. */
export function eventsPage(
  acct: CalendarAccount,
  cal: Calendar,
  now: number,
  items: CalendarEvent[],
  offset: number,
  max: number,
  show: (e: CalendarEvent) => Record<string, unknown>,
  timeZone = cal.timeZone,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    kind: 'calendar#events',
    etag: `"${acct.seq}"`,
    summary: cal.summary,
    timeZone,
    accessRole: cal.accessRole,
    updated: new Date(now).toISOString(),
    defaultReminders: [{ method: 'popup', minutes: 10 }],
    items: items.slice(offset, offset + max).map(show),
  };
  if (offset + max < items.length) body.nextPageToken = pageToken(offset + max);
  return body;
}

/** Sync tokens carry the calendar's change number at the time of the last page. */
function encodeSync(seq: number): string {
  return `CPj${Buffer.from(`seq:${seq}`).toString('base64url')}`;
}
function decodeSync(token: string): number | undefined {
  const n = Number(Buffer.from(token.replace(/^CPj/, ''), 'base64url').toString().replace(/^seq:/, ''));
  return token.startsWith('CPj') && Number.isInteger(n) ? n : undefined;
}

export function fullSyncRequired(): never {
  throw googleError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');
}

export function expandInstances(cal: Calendar, ev: CalendarEvent, minMs: number, maxMs: number): CalendarEvent[] {
  const zone = ev.start.timeZone ?? cal.timeZone;
  const durationMs = startMillis(ev.end, zone) - startMillis(ev.start, zone);
  const out: CalendarEvent[] = [];
  for (const occ of occurrences(ev, cal.timeZone, maxMs)) {
    const start = ev.start.date
      ? { date: occ.toISODate() as string }
      : { dateTime: occ.toISO({ suppressMilliseconds: true }) as string, timeZone: zone };
    const id = `${ev.id}_${instanceSuffix(start, zone)}`;
    const exception = cal.events.get(id);
    const inst = exception ?? {
      ...ev,
      id,
      recurrence: undefined,
      recurringEventId: ev.id,
      originalStartTime: start,
      start,
      end: ev.start.date
        ? { date: occ.plus({ milliseconds: durationMs }).toISODate() as string }
        : { dateTime: occ.plus({ milliseconds: durationMs }).toISO({ suppressMilliseconds: true }) as string, timeZone: zone },
    };
    const s = startMillis(inst.start, zone);
    const e = startMillis(inst.end, zone);
    if (e > minMs && s < maxMs) out.push(inst);
  }
  return out;
}

/** What events.list answers for timeMin/timeMax (series expanded when singleEvents), before ordering and paging. */
export function listWindow(
  cal: Calendar,
  minMs: number,
  maxMs: number,
  single: boolean,
  showDeleted: boolean,
  now: number,
): CalendarEvent[] {
  const overlaps = (e: CalendarEvent) => startMillis(e.end, cal.timeZone) > minMs && startMillis(e.start, cal.timeZone) < maxMs;
  const items: CalendarEvent[] = [];
  for (const e of cal.events.values()) {
    if (e.recurringEventId && single) continue; // exceptions appear through their series
    if (e.recurrence && single) {
      if (e.status !== 'cancelled')
        items.push(
          ...expandInstances(cal, e, minMs, Number.isFinite(maxMs) ? maxMs : now + 2 * 365 * 86_400_000).filter(
            (i) => showDeleted || i.status !== 'cancelled',
          ),
        );
      else if (showDeleted) items.push(e);
      continue;
    }
    if (!showDeleted && e.status === 'cancelled') continue;
    if (e.recurrence || overlaps(e)) items.push(e);
  }
  return items;
}

/** Who is asking (scopes, the daily quota and Calendar's refusals checked), their calendars, and how a change is stamped. */
export function calendarAccess(deps: CalendarDeps) {
  const account = (req: EmulatorRequest, endpoint: string, scopes: string[]) => {
    const grant = deps.oauth.authorize(req, scopes, 'calendar-json.googleapis.com', endpoint);
    // The project's daily quota, shared with Gmail in the emulator: 403 dailyLimitExceeded until Pacific midnight.
    deps.quota?.checkDaily(deps.ctx.now());
    // Calendar's rate and usage-limit answers, when the control API asked for them.
    deps.quota?.checkCalendar?.();
    const acct = deps.accounts.get(grant.email);
    if (!acct) throw notFound();
    return acct;
  };
  const calendar = (acct: CalendarAccount, id: string | undefined) => {
    const cal = acct.calendars.get(id === 'primary' ? acct.email : (id ?? ''));
    if (!cal) throw notFound();
    return cal;
  };
  const touch = (acct: CalendarAccount, ev: CalendarEvent) => {
    ev.seq = acct.nextSeq();
    ev.updated = new Date(deps.ctx.now()).toISOString();
  };
  const writable = (cal: Calendar) => {
    if (cal.accessRole === 'reader')
      throw googleError(403, 'requiredAccessLevel', 'You need to have writer access to this calendar.');
  };
  return { account, calendar, touch, writable };
}

export function calendarRoutes(deps: CalendarDeps): Route[] {
  const { account, calendar, touch, writable } = calendarAccess(deps);
  return [
    {
      method: 'GET',
      path: '/calendar/v3/users/me/calendarList',
      endpoint: 'calendar.calendarList.list',
      handler: (req) => {
        const acct = account(
          req,
          'calendar.calendarList.list',
          READ.filter((s) => !s.includes('events')),
        );
        const items = [...acct.calendars.values()].map((c) => ({
          kind: 'calendar#calendarListEntry',
          etag: `"${acct.seq}"`,
          id: c.id,
          summary: c.summary,
          timeZone: c.timeZone,
          accessRole: c.accessRole,
          backgroundColor: c.backgroundColor,
          foregroundColor: '#000000',
          selected: true,
          ...(c.primary ? { primary: true } : {}),
          defaultReminders: [{ method: 'popup', minutes: 10 }],
        }));
        return {
          status: 200,
          body: { kind: 'calendar#calendarList', etag: `"${acct.seq}"`, nextSyncToken: encodeSync(acct.seq), items },
        };
      },
    },
    {
      method: 'GET',
      path: C,
      endpoint: 'calendar.events.list',
      handler: (req) => {
        const acct = account(req, 'calendar.events.list', READ);
        const cal = calendar(acct, req.params.calendarId);
        const q = req.url.searchParams;
        const max = intParam(req, 'maxResults', 250, 2500) || 250;
        const offset = readPageToken(req);
        const syncToken = q.get('syncToken');
        let items: CalendarEvent[];
        if (syncToken) {
          for (const p of [
            'timeMin',
            'timeMax',
            'orderBy',
            'q',
            'updatedMin',
            'iCalUID',
            'privateExtendedProperty',
            'sharedExtendedProperty',
          ]) {
            if (q.has(p)) throw badRequest(`The sync token cannot be used with the ${p} parameter.`);
          }
          const since = decodeSync(syncToken);
          if (since === undefined || since < cal.minValidSeq) fullSyncRequired();
          items = [...cal.events.values()].filter((e) => e.seq > since);
          if (q.get('singleEvents') === 'true')
            items = items.flatMap((e) =>
              e.recurrence && e.status !== 'cancelled'
                ? expandInstances(cal, e, -Infinity, deps.ctx.now() + 3 * 365 * 86_400_000)
                : [e],
            );
        } else {
          const minMs = q.get('timeMin') ? Date.parse(q.get('timeMin') as string) : Number.NEGATIVE_INFINITY;
          const maxMs = q.get('timeMax') ? Date.parse(q.get('timeMax') as string) : Number.POSITIVE_INFINITY;
          if (Number.isNaN(minMs) || Number.isNaN(maxMs)) throw badRequest('Bad Request');
          if (minMs >= maxMs) throw badRequest('The specified time range is empty.');
          const single = q.get('singleEvents') === 'true';
          const orderBy = q.get('orderBy');
          if (orderBy && orderBy !== 'startTime' && orderBy !== 'updated')
            throw badRequest(`Invalid value for orderBy: ${orderBy}`);
          if (orderBy === 'startTime' && !single)
            throw badRequest('The requested ordering is not available for the particular query.');
          const showDeleted = q.get('showDeleted') === 'true';
          items = listWindow(cal, minMs, maxMs, single, showDeleted, deps.ctx.now());
          if (orderBy === 'startTime')
            items.sort((a, b) => startMillis(a.start, cal.timeZone) - startMillis(b.start, cal.timeZone));
          if (orderBy === 'updated') items.sort((a, b) => a.updated.localeCompare(b.updated));
        }
        const body = eventsPage(acct, cal, deps.ctx.now(), items, offset, max, (e) => serializeEvent(cal, e));
        if (body.nextPageToken === undefined) body.nextSyncToken = encodeSync(acct.seq);
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      path: `${C}/:eventId`,
      endpoint: 'calendar.events.get',
      handler: (req) => {
        const acct = account(req, 'calendar.events.get', READ);
        const cal = calendar(acct, req.params.calendarId);
        return { status: 200, body: serializeEvent(cal, findEvent(cal, req.params.eventId ?? '')) };
      },
    },
    {
      method: 'POST',
      path: C,
      endpoint: 'calendar.events.insert',
      handler: (req) => {
        const acct = account(req, 'calendar.events.insert', WRITE);
        const cal = calendar(acct, req.params.calendarId);
        writable(cal);
        const body = withConference(jsonBody(req), req.url.searchParams);
        const ev = validateEvent(body);
        const now = new Date(deps.ctx.now()).toISOString();
        const id = typeof body.id === 'string' ? body.id : randomBytes(13).toString('hex').replace(/[w-z]/g, 'a').slice(0, 26);
        if (cal.events.has(id)) throw googleError(409, 'duplicate', 'The requested identifier already exists.');
        const full: CalendarEvent = {
          status: 'confirmed',
          organizer: { email: cal.id, self: true },
          creator: { email: acct.email },
          reminders: { useDefault: true },
          ...ev,
          id,
          created: now,
          updated: now,
          iCalUID: `${id}@google.com`,
          sequence: 0,
          seq: acct.nextSeq(),
        };
        if (full.attendees)
          full.attendees = full.attendees.map((a) => ({ ...a, responseStatus: a.responseStatus ?? 'needsAction' }));
        cal.events.set(id, full);
        return { status: 200, body: serializeEvent(cal, full) };
      },
    },
    {
      method: 'PATCH',
      path: `${C}/:eventId`,
      endpoint: 'calendar.events.patch',
      handler: (req) => {
        const acct = account(req, 'calendar.events.patch', WRITE);
        const cal = calendar(acct, req.params.calendarId);
        const ev = patchEvent(
          acct,
          cal,
          req.params.eventId ?? '',
          withConference(jsonBody(req), req.url.searchParams),
          deps.ctx.now(),
        );
        touch(acct, ev);
        return { status: 200, body: serializeEvent(cal, ev) };
      },
    },
    {
      method: 'DELETE',
      path: `${C}/:eventId`,
      endpoint: 'calendar.events.delete',
      handler: (req) => {
        const acct = account(req, 'calendar.events.delete', WRITE);
        const cal = calendar(acct, req.params.calendarId);
        const ev = findEvent(cal, req.params.eventId ?? '', true);
        if (ev.status === 'cancelled') throw googleError(410, 'deleted', 'Resource has been deleted');
        ev.status = 'cancelled';
        touch(acct, ev);
        return { status: 204 };
      },
    },
    ...calendarEditRoutes(deps),
  ];
}

/** Finds an event, materializing an instance of a series ("<seriesId>_<suffix>") as an exception when asked. */
export function findEvent(cal: Calendar, id: string, materialize = false): CalendarEvent {
  const ev = cal.events.get(id);
  if (ev) return ev;
  const m = /^(.+)_(\d{8}(T\d{6}Z)?)$/.exec(id);
  const series = m ? cal.events.get(m[1] as string) : undefined;
  if (!series?.recurrence) throw notFound();
  // The instance id names its start (yyyyMMdd[THHmmssZ], UTC): expanding to a day past it is enough, whatever the clock.
  const day = /^(\d{4})(\d{2})(\d{2})/.exec(m?.[2] ?? '');
  const through = day ? Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])) + 2 * 86_400_000 : Number.NEGATIVE_INFINITY;
  const inst = expandInstances(cal, series, Number.NEGATIVE_INFINITY, through).find((i) => i.id === id);
  if (!inst) throw notFound();
  if (materialize) cal.events.set(id, { ...inst });
  return materialize ? (cal.events.get(id) as CalendarEvent) : inst;
}

/** The fields a client writes (patch sets those it sends; update replaces all of them). */
/**
 * conferenceData in a write, as Google's reference has it: without conferenceDataVersion=1 the body's
 * conferenceData is ignored; with it, a createRequest for a Google Meet conference (conferenceSolutionKey
 * type hangoutsMeet) makes one at once (status success), with its video entry point and the event's
 * hangoutLink. Another solution type is 400 invalid.
 */
export function withConference(body: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  if (body.conferenceData === undefined) return body;
  const { conferenceData, hangoutLink: _owned, ...rest } = body;
  if (query.get('conferenceDataVersion') !== '1') return rest;
  const data = conferenceData as { createRequest?: { requestId?: string; conferenceSolutionKey?: { type?: string } } } | null;
  if (!data?.createRequest) return { ...rest, conferenceData };
  const { requestId, conferenceSolutionKey } = data.createRequest;
  if (!requestId) throw badRequest('Invalid conference request: requestId is required.');
  if (conferenceSolutionKey?.type !== 'hangoutsMeet') throw badRequest('Invalid conference type value.');
  const letters = (n: number) => Array.from(randomBytes(n), (b) => String.fromCharCode(97 + (b % 26))).join('');
  const code = `${letters(3)}-${letters(4)}-${letters(3)}`;
  const uri = `https://meet.google.com/${code}`;
  return {
    ...rest,
    hangoutLink: uri,
    conferenceData: {
      createRequest: { requestId, conferenceSolutionKey, status: { statusCode: 'success' } },
      conferenceId: code,
      conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
      entryPoints: [{ entryPointType: 'video', uri, label: `meet.google.com/${code}` }],
    },
  };
}

export const EDITABLE_FIELDS = [
  'summary',
  'description',
  'location',
  'start',
  'end',
  'recurrence',
  'attendees',
  'reminders',
  'status',
  'conferenceData',
  'hangoutLink',
  'colorId',
  'transparency',
  'visibility',
];

export function patchEvent(
  acct: CalendarAccount,
  cal: Calendar,
  id: string,
  body: Record<string, unknown>,
  now: number,
): CalendarEvent {
  return changeEvent(acct, cal, id, now, (ev) => {
    const next: Record<string, unknown> = { ...ev };
    for (const [k, v] of Object.entries(body)) if (EDITABLE_FIELDS.includes(k)) next[k] = v;
    if (body.start || body.end) next.sequence = ev.sequence + 1;
    return next;
  });
}

/**
 * Stores an event's next state, checked first (a refused change leaves the event as it was); an instance id
 * becomes an exception of its series. Instances a series change removes (moved to other times, rule shortened),
 * modified ones included, are reported cancelled to syncing clients, under their old instance ids.
 */
export function changeEvent(
  acct: CalendarAccount,
  cal: Calendar,
  id: string,
  /** The emulator's clock: how far an endless series is expanded to compare its instances before and after. */
  now: number,
  next: (ev: CalendarEvent) => Record<string, unknown>,
): CalendarEvent {
  const proposed = next(findEvent(cal, id));
  validateEvent(proposed);
  const ev = findEvent(cal, id, true);
  const horizon = now + 5 * 365 * 86_400_000;
  const before = ev.recurrence ? expandInstances(cal, ev, Number.NEGATIVE_INFINITY, horizon) : [];
  for (const k of Object.keys(ev)) if (!(k in proposed)) delete ev[k];
  Object.assign(ev, proposed);
  const after = new Set(
    ev.recurrence && ev.status !== 'cancelled'
      ? expandInstances(cal, ev, Number.NEGATIVE_INFINITY, horizon).map((i) => i.id)
      : [],
  );
  for (const gone of before) {
    // A modified instance (an exception, stored under its instance id) goes with its occurrence: Google
    // reports it cancelled too, where leaving it would keep it unlisted yet never reported gone.
    const kept = cal.events.get(gone.id);
    if (after.has(gone.id) || kept?.status === 'cancelled') continue;
    cal.events.set(gone.id, {
      ...(kept ?? gone),
      status: 'cancelled',
      recurrence: undefined,
      recurringEventId: ev.id,
      originalStartTime: gone.originalStartTime,
      seq: acct.nextSeq(),
    });
  }
  return ev;
}

export function validateEvent(body: Record<string, unknown>): Partial<CalendarEvent> & Pick<CalendarEvent, 'start' | 'end'> {
  const start = body.start as CalendarEvent['start'] | undefined;
  const end = body.end as CalendarEvent['end'] | undefined;
  if (!start || !end) throw googleError(400, 'required', start ? 'Missing end time.' : 'Missing start time.');
  if (!!start.date !== !!end.date) throw badRequest('Start and end times must either both be date or both be dateTime.');
  if (start.dateTime && !DateTime.fromISO(start.dateTime, { setZone: true }).isValid) throw badRequest('Bad Request');
  if (start.timeZone && !DateTime.local().setZone(start.timeZone).isValid)
    throw badRequest(`Invalid time zone definition for start time.`);
  const zone = start.timeZone ?? 'UTC';
  if (startMillis(end, zone) < startMillis(start, zone))
    throw googleError(400, 'timeRangeEmpty', 'The specified time range is empty.');
  checkRecurrence(body.recurrence);
  return body as Partial<CalendarEvent> & Pick<CalendarEvent, 'start' | 'end'>;
}

/** Google answers 400 invalid "Invalid recurrence rule." for a rule it cannot read (the emulator: one it cannot expand). */
export function checkRecurrence(recurrence: unknown): void {
  if (recurrence === undefined || recurrence === null) return;
  if (!Array.isArray(recurrence) || recurrence.some((r) => typeof r !== 'string'))
    throw googleError(400, 'invalid', 'Invalid recurrence rule.');
  for (const r of recurrence as string[]) {
    if (!r.startsWith('RRULE:')) continue;
    try {
      parseRule(r);
    } catch (err) {
      if (err instanceof RuleError) throw googleError(400, 'invalid', 'Invalid recurrence rule.');
      throw err;
    }
  }
}
