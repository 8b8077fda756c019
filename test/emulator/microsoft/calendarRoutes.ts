import type { EmulatorReply, EmulatorRequest, Route } from '../kit/types.ts';
import type { Calendar, Calendars, StoredEvent } from './calendarStore.ts';
import { graphError, parseJsonBody } from './errors.ts';
import { eventResponseRoutes } from './eventResponses.ts';
import {
  decodeToken,
  encodeToken,
  type GraphEnv,
  type GraphUser,
  graphRoutes,
  maxPageSize,
  selectParam,
} from './graphContext.ts';
import { changeKey } from './ids.ts';
import { occurrenceDates, type Recurrence, utcToZoned, zonedToUtc } from './recurrence.ts';
import { ianaZone } from './windowsZones.ts';

export interface Instance {
  id: string;
  ev: StoredEvent;
  type: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  start: number;
  end: number;
  seriesMasterId?: string;
  /** Occurrences and exceptions: where the series put this one (Graph's originalStart). */
  originalStart?: number;
}

type DateTimeTZ = { dateTime: string; timeZone?: string };

function span(data: Record<string, unknown>): { start: number; end: number } {
  const s = data.start as DateTimeTZ,
    e = data.end as DateTimeTZ;
  return { start: zonedToUtc(s.dateTime, ianaZone(s.timeZone)), end: zonedToUtc(e.dateTime, ianaZone(e.timeZone)) };
}

/** Far enough out that every finite series, and ten years of an endless one, is in it. */
const ALL_TIME = { from: Date.UTC(2000, 0, 1), to: Date.UTC(2045, 0, 1) };

/**
 * Instances overlapping [from, to): singles, expanded occurrences (wall clock kept in the series' zone), exceptions.
 * An exception keeps the id of the occurrence it replaces, as Exchange does.
 */
export function instances(
  cal: Calendars,
  calendarId: string | undefined,
  from: number,
  to: number,
  masterId?: string,
): Instance[] {
  const out: Instance[] = [];
  const limit = new Date(to + 86_400_000).toISOString().slice(0, 10);
  for (const ev of cal.events.values()) {
    if (calendarId && ev.calendarId !== calendarId) continue;
    if (masterId && ev.id !== masterId) continue;
    if (ev.data.seriesMasterId) continue; // exceptions are emitted with their master
    const { start, end } = span(ev.data);
    const rec = ev.data.recurrence as Recurrence | null | undefined;
    if (!rec) {
      if (!ev.cancelled && start < to && end > from) out.push({ id: ev.id, ev, type: 'singleInstance', start, end });
      continue;
    }
    const s = ev.data.start as DateTimeTZ;
    const zone = ianaZone(s.timeZone);
    const time = s.dateTime.slice(10, 19);
    const cancelledDates = new Set((ev.data.cancelledOccurrences as string[] | undefined) ?? []);
    const exceptions = [...cal.events.values()].filter((x) => x.data.seriesMasterId === ev.id);
    for (const date of occurrenceDates(rec, s.dateTime, limit)) {
      const occStart = zonedToUtc(`${date}${time}`, zone);
      const id = occurrenceId(ev.id, date);
      const exception = exceptions.find((x) => x.data.originalStartDate === date);
      if (exception) {
        const x = span(exception.data);
        if (!exception.cancelled && !ev.cancelled && x.start < to && x.end > from)
          out.push({
            id: exception.id,
            ev: exception,
            type: 'exception',
            start: x.start,
            end: x.end,
            seriesMasterId: ev.id,
            originalStart: occStart,
          });
        continue;
      }
      if (cancelledDates.has(date) || ev.cancelled) continue;
      const occEnd = occStart + (end - start);
      if (occStart < to && occEnd > from)
        out.push({ id, ev, type: 'occurrence', start: occStart, end: occEnd, seriesMasterId: ev.id, originalStart: occStart });
    }
  }
  return out.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
}

export function occurrenceId(masterId: string, date: string): string {
  return `${masterId}_${date.replace(/-/g, '')}`;
}

/**
 * Applies a change to an event; occurrences and exceptions of a series that
 * the change makes vanish (cancelled, deleted, series shortened or moved to
 * other days) leave tombstones, so calendarView/delta reports them "@removed".
 */
export function changeEvent(cal: Calendars, ev: StoredEvent, mutate: () => void): void {
  const idsOf = () =>
    ev.data.recurrence && cal.events.get(ev.id) === ev
      ? new Set(instances(cal, ev.calendarId, ALL_TIME.from, ALL_TIME.to, ev.id).map((i) => i.id))
      : new Set<string>();
  const before = idsOf();
  mutate();
  const after = idsOf();
  for (const id of before) if (!after.has(id)) cal.tombstones.push({ id, calendarId: ev.calendarId, seq: cal.seq++ });
}

/**
 * One instance of a series goes (Graph's DELETE of an occurrence or exception id, or another client's
 * cancel): an exception made of it is cancelled, else its date is left out of the series; either way
 * the series' change reports it removed.
 */
export function cancelOccurrence(cal: Calendars, master: StoredEvent, date: string): void {
  const existing = cal.events.get(occurrenceId(master.id, date));
  changeEvent(cal, master, () => {
    if (existing) {
      existing.cancelled = true;
      cal.touch(existing);
    } else master.data.cancelledOccurrences = [...((master.data.cancelledOccurrences as string[]) ?? []), date];
  });
}

/**
 * Graph's DELETE of one instance (an occurrence's or an exception's id): it leaves the series for good,
 * and the id answers 404 from then on; the series' change reports it removed.
 */
export function removeOccurrence(cal: Calendars, master: StoredEvent, date: string): void {
  const existing = cal.events.get(occurrenceId(master.id, date));
  changeEvent(cal, master, () => {
    if (existing) cal.events.delete(existing.id);
    master.data.cancelledOccurrences = [...((master.data.cancelledOccurrences as string[]) ?? []), date];
  });
}

/**
 * What an event id names, as GET /events/{id} answers it: a series master or single event as stored,
 * an occurrence or exception as its series places it (seriesMasterId, originalStart); 404 otherwise.
 */
export function instanceById(cal: Calendars, id: string): Instance {
  const decoded = decodeURIComponent(id);
  const stored = cal.events.get(decoded);
  if (stored && !stored.data.seriesMasterId)
    return { id: stored.id, ev: stored, type: stored.data.recurrence ? 'seriesMaster' : 'singleInstance', ...span(stored.data) };
  const inst = instances(cal, undefined, ALL_TIME.from, ALL_TIME.to).find((i) => i.id === decoded);
  if (!inst) throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  return inst;
}

/** Deleting a series deletes its exceptions too; every instance it had is reported removed. */
export function deleteEvent(cal: Calendars, ev: StoredEvent): void {
  changeEvent(cal, ev, () => {
    for (const x of [...cal.events.values()]) if (x.data.seriesMasterId === ev.id) cal.events.delete(x.id);
    cal.remove(ev);
  });
}

/** Events without an organizer were made in this mailbox (Graph's create sets it to the user). */
export function isOrganizer(ev: StoredEvent): boolean {
  const address = (ev.data.organizer as { emailAddress?: { address?: string } } | undefined)?.emailAddress?.address;
  return !address || address.toLowerCase() === ev.owner.toLowerCase();
}

/** Graph's event.responseStatus: the mailbox owner's own answer ("organizer" for its own meetings). */
function responseStatus(ev: StoredEvent): { response: string; time: string } {
  if (isOrganizer(ev)) return { response: 'organizer', time: '0001-01-01T00:00:00Z' };
  return (
    (ev.data.responseStatus as { response: string; time: string } | undefined) ?? {
      response: 'notResponded',
      time: '0001-01-01T00:00:00Z',
    }
  );
}

/** Graph writes instants with seven fractional digits: 2026-10-07T04:59:12.9690000Z. */
function graphInstant(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '0000Z');
}

export function eventJson(inst: Instance, req: EmulatorRequest): Record<string, unknown> {
  const zone = /outlook\.timezone="([^"]+)"/i.exec(req.headers.prefer ?? '')?.[1] ?? 'UTC';
  const d = inst.ev.data;
  const allDay = d.isAllDay === true;
  const when = (t: number) => ({
    dateTime: allDay
      ? `${utcToZoned(t, ianaZone((d.start as DateTimeTZ).timeZone)).slice(0, 10)}T00:00:00.0000000`
      : utcToZoned(t, ianaZone(zone)),
    timeZone: allDay ? ((d.start as DateTimeTZ).timeZone ?? 'UTC') : zone,
  });
  return {
    '@odata.etag': `W/"${changeKey(inst.ev.seq, inst.id)}"`,
    id: inst.id,
    changeKey: changeKey(inst.ev.seq, inst.id),
    createdDateTime: graphInstant(inst.ev.createdMs),
    lastModifiedDateTime: graphInstant(inst.ev.modifiedMs),
    subject: d.subject ?? '',
    bodyPreview: String((d.body as { content?: string } | undefined)?.content ?? '').slice(0, 255),
    body: d.body ?? { contentType: 'text', content: '' },
    isAllDay: allDay,
    isCancelled: inst.ev.cancelled,
    isOrganizer: isOrganizer(inst.ev),
    responseStatus: responseStatus(inst.ev),
    showAs: d.showAs ?? 'busy',
    allowNewTimeProposals: d.allowNewTimeProposals !== false,
    type: inst.type,
    seriesMasterId: inst.seriesMasterId ?? null,
    ...(inst.originalStart !== undefined
      ? { originalStart: new Date(inst.originalStart).toISOString().replace('.000Z', 'Z') }
      : {}),
    start: when(inst.start),
    end: when(inst.end),
    originalStartTimeZone: (d.start as DateTimeTZ).timeZone ?? 'UTC',
    originalEndTimeZone: (d.end as DateTimeTZ).timeZone ?? 'UTC',
    location: d.location ?? { displayName: '' },
    locations: d.location ? [d.location] : [],
    recurrence: inst.type === 'seriesMaster' ? (d.recurrence ?? null) : null,
    attendees: d.attendees ?? [],
    organizer: d.organizer,
    isOnlineMeeting: !!d.isOnlineMeeting,
    onlineMeeting: d.isOnlineMeeting ? { joinUrl: `https://teams.microsoft.com/l/meetup-join/${inst.ev.id.slice(4, 30)}` } : null,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(inst.id)}&exvsurl=1&path=/calendar/item`,
  };
}

/** startDateTime/endDateTime of calendarView and instances: both required, each an ISO 8601 date-time. */
function viewWindow(req: EmulatorRequest): { from: number; to: number } {
  const q = req.url.searchParams;
  const start = q.get('startDateTime');
  const end = q.get('endDateTime');
  if (start === null || end === null)
    throw graphError(
      400,
      'ErrorInvalidParameter',
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
  const parse = (value: string, name: string) => {
    const t = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value) || !value.includes('T') ? value : `${value.slice(0, 23)}Z`);
    if (!Number.isFinite(t))
      throw graphError(400, 'ErrorInvalidParameter', `The value '${value}' of parameter '${name}' is invalid.`);
    return t;
  };
  return { from: parse(start, 'StartDateTime'), to: parse(end, 'EndDateTime') };
}

interface CalDelta {
  s: number;
  from: number;
  to: number;
  u?: number;
  o?: number;
}

function calendarViewDelta(env: GraphEnv, req: EmulatorRequest, u: GraphUser, calendarId?: string): EmulatorReply {
  const cal = u.calendars;
  const q = req.url.searchParams;
  const token = q.get('$deltatoken') ?? q.get('$skiptoken');
  const st: CalDelta = token ? decodeToken<CalDelta>(token) : { s: 0, ...viewWindow(req) };
  if (token && (st.u ?? st.s + 1) < cal.minValidSeq)
    throw graphError(
      410,
      'SyncStateNotFound',
      'The sync state generation is not found or has expired. Resync required (resyncRequired).',
    );
  const upTo = st.u ?? cal.seq;
  const isChanged = (i: { ev: StoredEvent }) => i.ev.seq > st.s && i.ev.seq < upTo;
  const inWindow = instances(cal, calendarId, st.from, st.to);
  const changed = inWindow.filter(isChanged).map((i) => eventJson(i, req));
  const inWindowIds = new Set(inWindow.map((i) => i.id));
  const gone = (id: string) => ({ id, '@removed': { reason: 'deleted' } });
  // Later rounds: what left the window, was deleted or cancelled, or vanished from its series.
  const movedOut =
    st.s > 0
      ? instances(cal, calendarId, ALL_TIME.from, ALL_TIME.to)
          .filter((i) => isChanged(i) && !inWindowIds.has(i.id))
          .map((i) => gone(i.id))
      : [];
  const removed =
    st.s > 0
      ? cal.tombstones
          .filter((t) => (!calendarId || t.calendarId === calendarId) && t.seq > st.s && t.seq < upTo)
          .map((t) => gone(t.id))
      : [];
  const cancelled =
    st.s > 0
      ? [...cal.events.values()]
          .filter((e) => (!calendarId || e.calendarId === calendarId) && e.cancelled && e.seq > st.s && e.seq < upTo)
          .map((e) => gone(e.id))
      : [];
  const all = [...changed, ...movedOut, ...removed, ...cancelled];
  const { size, applied } = maxPageSize(req, 50);
  const offset = st.o ?? 0;
  const link = new URL(`${env.ctx.baseUrl}${req.url.pathname}`);
  const body: Record<string, unknown> = {
    '@odata.context': `${env.ctx.baseUrl}/v1.0/$metadata#Collection(event)`,
    value: all.slice(offset, offset + size),
  };
  if (offset + size < all.length) {
    link.searchParams.set('$skiptoken', encodeToken({ ...st, u: upTo, o: offset + size }));
    body['@odata.nextLink'] = link.toString();
  } else {
    link.searchParams.set('$deltatoken', encodeToken({ s: upTo - 1, from: st.from, to: st.to }));
    body['@odata.deltaLink'] = link.toString();
  }
  return { status: 200, headers: applied ? { 'preference-applied': applied } : {}, body };
}

export function requireCalendar(cal: Calendars, id: string): Calendar {
  const c = cal.calendars.get(decodeURIComponent(id));
  if (!c) throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  return c;
}
/**
 * The event an action names; an occurrence of a series becomes an exception first (keeping the
 * occurrence's id, as Exchange does), so answering one occurrence leaves the others as they were.
 */
export function requireEventOrOccurrence(cal: Calendars, id: string, calendarId?: string): StoredEvent {
  const decoded = decodeURIComponent(id);
  const stored = cal.events.get(decoded);
  if (stored && (!calendarId || stored.calendarId === calendarId)) return stored;
  const occurrence = instances(cal, calendarId, ALL_TIME.from, ALL_TIME.to).find(
    (i) => i.id === decoded && i.type === 'occurrence',
  );
  const master = occurrence?.seriesMasterId ? cal.events.get(occurrence.seriesMasterId) : undefined;
  if (!occurrence || !master) throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  const date = decoded.slice(-8).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3');
  const data = {
    ...master.data,
    recurrence: null,
    cancelledOccurrences: undefined,
    seriesMasterId: master.id,
    originalStartDate: date,
  };
  let exception: StoredEvent | undefined;
  changeEvent(cal, master, () => {
    exception = cal.upsert(master.calendarId, data, decoded);
  });
  return exception as StoredEvent;
}

function requireEvent(cal: Calendars, id: string): StoredEvent {
  const e = cal.events.get(decodeURIComponent(id));
  if (!e) throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  return e;
}

export function validateEvent(data: Record<string, unknown>): void {
  for (const k of ['start', 'end'] as const) {
    const v = data[k] as DateTimeTZ | undefined;
    if (!v || typeof v.dateTime !== 'string' || !Number.isFinite(Date.parse(`${v.dateTime.slice(0, 19)}Z`)))
      throw graphError(400, 'ErrorInvalidRequest', `Your request can't be completed. The ${k} time is invalid.`);
    ianaZone(v.timeZone);
  }
}

export function calendarJson(c: Calendar, upn: string): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    color: c.color,
    isDefaultCalendar: c.isDefaultCalendar,
    canEdit: true,
    canShare: true,
    canViewPrivateItems: true,
    owner: { name: upn, address: upn },
    changeKey: changeKey(1, c.id),
  };
}

export function calendarRoutes(env: GraphEnv): Route[] {
  const r = (method: Route['method'], path: string, endpoint: string, h: Parameters<typeof graphRoutes>[4]) =>
    graphRoutes(env, method, path, endpoint, h);
  const master = (e: StoredEvent): Instance => ({
    id: e.id,
    ev: e,
    type: e.data.recurrence ? 'seriesMaster' : e.data.seriesMasterId ? 'exception' : 'singleInstance',
    ...span(e.data),
  });
  const create = (req: EmulatorRequest, u: GraphUser, calendarId: string): EmulatorReply => {
    const data = parseJsonBody(req.body);
    validateEvent(data);
    // transactionId: "for the server to avoid redundant POST operations in case of client retries to
    // create the same event" (event resource): a retried create answers the event the first one made.
    const transactionId = typeof data.transactionId === 'string' && data.transactionId ? data.transactionId : undefined;
    const made = transactionId ? [...u.calendars.events.values()].find((e) => e.data.transactionId === transactionId) : undefined;
    if (made) return { status: 201, body: eventJson(master(made), req) };
    data.organizer ??= { emailAddress: { name: u.mailbox.displayName, address: u.mailbox.upn } };
    const ev = u.calendars.upsert(calendarId, data);
    return { status: 201, body: eventJson(master(ev), req) };
  };
  /** calendarView, and a series' instances (masterId): $top (default 10) / $skip pages, $select. */
  const view = (req: EmulatorRequest, u: GraphUser, calendarId?: string, masterId?: string): EmulatorReply => {
    const { from, to } = viewWindow(req);
    const top = Number(req.url.searchParams.get('$top') ?? 10);
    const skip = Number(req.url.searchParams.get('$skip') ?? 0);
    const select = selectParam(req);
    const keep = select && new Set(['@odata.etag', 'id', ...select]);
    const all = instances(u.calendars, calendarId, from, to, masterId);
    const body: Record<string, unknown> = {
      value: all.slice(skip, skip + top).map((i) => {
        const json = eventJson(i, req);
        return keep ? Object.fromEntries(Object.entries(json).filter(([k]) => keep.has(k))) : json;
      }),
    };
    if (skip + top < all.length) {
      const next = new URL(`${env.ctx.baseUrl}${req.url.pathname}${req.url.search}`);
      next.searchParams.set('$skip', String(skip + top));
      body['@odata.nextLink'] = next.toString();
    }
    return { status: 200, body };
  };
  /** GET .../events/{id}/instances: the event must be in the calendar named (any of the user's otherwise). */
  const instancesOf = (req: EmulatorRequest, u: GraphUser, calendarId?: string): EmulatorReply => {
    const ev = requireEvent(u.calendars, req.params.id!);
    if (calendarId && ev.calendarId !== calendarId)
      throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return view(req, u, calendarId, ev.id);
  };
  return [
    ...eventResponseRoutes(env),
    ...r('GET', '/calendars', 'graph.calendars.list', (_q, u) => ({
      status: 200,
      body: { value: [...u.calendars.calendars.values()].map((c) => calendarJson(c, u.mailbox.upn)) },
    })),
    ...r('GET', '/calendars/:cal', 'graph.calendars.get', (req, u) => ({
      status: 200,
      body: calendarJson(requireCalendar(u.calendars, req.params.cal!), u.mailbox.upn),
    })),
    ...r('GET', '/calendarView/delta', 'graph.calendarView.delta', (req, u) => calendarViewDelta(env, req, u)),
    ...r('GET', '/calendars/:cal/calendarView/delta', 'graph.calendarView.delta', (req, u) =>
      calendarViewDelta(env, req, u, requireCalendar(u.calendars, req.params.cal!).id),
    ),
    ...r('GET', '/calendarView', 'graph.calendarView', (req, u) => view(req, u)),
    ...r('GET', '/events/:id/instances', 'graph.events.instances', (req, u) => instancesOf(req, u)),
    ...r('GET', '/calendar/events/:id/instances', 'graph.events.instances', (req, u) =>
      instancesOf(req, u, u.calendars.defaultCalendar.id),
    ),
    ...r('GET', '/calendars/:cal/events/:id/instances', 'graph.events.instances', (req, u) =>
      instancesOf(req, u, requireCalendar(u.calendars, req.params.cal!).id),
    ),
    ...r('GET', '/calendars/:cal/calendarView', 'graph.calendarView', (req, u) =>
      view(req, u, requireCalendar(u.calendars, req.params.cal!).id),
    ),
    ...r('GET', '/events', 'graph.events.list', (req, u) => ({
      status: 200,
      body: {
        value: [...u.calendars.events.values()].filter((e) => !e.data.seriesMasterId).map((e) => eventJson(master(e), req)),
      },
    })),
    ...r('POST', '/events', 'graph.events.create', (req, u) => create(req, u, u.calendars.defaultCalendar.id)),
    ...r('POST', '/calendars/:cal/events', 'graph.events.create', (req, u) =>
      create(req, u, requireCalendar(u.calendars, req.params.cal!).id),
    ),
    ...r('GET', '/events/:id', 'graph.events.get', (req, u) => ({
      status: 200,
      body: eventJson(instanceById(u.calendars, req.params.id!), req),
    })),
    ...r('PATCH', '/events/:id', 'graph.events.update', (req, u) => {
      // An occurrence's id is patched as Exchange does: it becomes an exception under the same id.
      const ev = requireEventOrOccurrence(u.calendars, req.params.id!);
      const next = { ...ev.data, ...parseJsonBody(req.body) };
      validateEvent(next);
      changeEvent(u.calendars, ev, () => {
        ev.data = next;
        u.calendars.touch(ev);
      });
      return { status: 200, body: eventJson(instanceById(u.calendars, ev.id), req) };
    }),
    ...r('DELETE', '/events/:id', 'graph.events.delete', (req, u) => {
      // An occurrence or exception leaves its series alone; a series or single event goes whole.
      const ev = requireEventOrOccurrence(u.calendars, req.params.id!);
      const seriesMaster = ev.data.seriesMasterId ? u.calendars.events.get(String(ev.data.seriesMasterId)) : undefined;
      if (seriesMaster) removeOccurrence(u.calendars, seriesMaster, String(ev.data.originalStartDate));
      else deleteEvent(u.calendars, ev);
      return { status: 204 };
    }),
    ...r('POST', '/events/:id/cancel', 'graph.events.cancel', (req, u) => {
      const ev = requireEvent(u.calendars, req.params.id!);
      changeEvent(u.calendars, ev, () => {
        ev.cancelled = true;
        u.calendars.touch(ev);
      });
      return { status: 202 };
    }),
  ];
}
