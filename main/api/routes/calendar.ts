import { Type } from 'typebox';
import {
  CalendarListResponse,
  CalendarResponse,
  CalendarUpdateBody,
  EventApplyToQuery,
  EventCreateBody,
  EventListQuery,
  EventListResponse,
  EventResponse,
  EventRsvpBody,
  EventUpdateBody,
} from '../../../shared/api/calendar.ts';
import { parsePublicId } from '../../../shared/ids.ts';
import { pushEventEditsSoon } from '../../calendar/eventEditPusher.ts';
import { createEvent, deleteEvent, type EventDraft, editEvent } from '../../calendar/eventEdits.ts';
import { OutpostError } from '../../core/outpostError.ts';
import {
  type CalendarRow,
  getCalendar,
  getEvent,
  listCalendars,
  listEventsInRange,
  setCalendarChoices,
} from '../../db/queries/calendarEvents.ts';
import { presentCalendar, presentEvent } from '../calendarPresenters.ts';
import { parseIsoInstant } from '../isoDates.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const DAY_MS = 24 * 3600 * 1000;
const errors = { 400: { $ref: 'ApiError#' }, 401: { $ref: 'ApiError#' }, 404: { $ref: 'ApiError#' } };
const writeErrors = {
  ...errors,
  403: { $ref: 'ApiError#' },
  409: { $ref: 'ApiError#' },
  502: { $ref: 'ApiError#' },
  503: { $ref: 'ApiError#' },
};

/** The API's event body in the core's terms: public ids and ISO instants parsed, each error naming its field. */
function draftOf(body: EventUpdateBody): EventDraft {
  const draft: EventDraft = {};
  if (body.calendar_id !== undefined) {
    const id = parsePublicId('cal', body.calendar_id);
    if (id === null)
      throw new OutpostError('validation_error', `${body.calendar_id} is not a calendar id (cal_<n>)`, { field: 'calendar_id' });
    draft.calendarId = id;
  }
  if (body.summary !== undefined) draft.summary = body.summary;
  if (body.description !== undefined) draft.description = body.description;
  if (body.location !== undefined) draft.location = body.location;
  if (body.all_day !== undefined) draft.allDay = body.all_day;
  if (body.start !== undefined) draft.startsAt = parseIsoInstant(body.start, 'start');
  if (body.end !== undefined) draft.endsAt = parseIsoInstant(body.end, 'end');
  if (body.start_date !== undefined) draft.startDate = body.start_date;
  if (body.end_date !== undefined) draft.endDate = body.end_date;
  if (body.time_zone !== undefined) draft.timeZone = body.time_zone;
  if (body.attendees !== undefined) draft.attendees = body.attendees;
  if (body.reminders_minutes !== undefined) draft.reminders = body.reminders_minutes;
  if (body.video_call) draft.videoCall = true;
  if (body.recurrence !== undefined) draft.recurrence = body.recurrence;
  return draft;
}

function eventIdOf(value: string): number {
  const id = parsePublicId('evt', value);
  if (id === null) throw new OutpostError('not_found', `no event ${value}`);
  return id;
}

export function registerCalendarRoutes(app: ApiServer, deps: ApiDeps): void {
  const { reader, respondToEvent, writer, jobs, runner } = deps;
  app.get(
    '/v1/calendar/calendars',
    {
      config: { auth: { scope: 'read:calendar' } },
      schema: { summary: 'Calendars of every connected account', response: { 200: CalendarListResponse, ...errors } },
    },
    async () => ({ data: listCalendars(reader).map(presentCalendar) }),
  );

  app.patch(
    '/v1/calendar/calendars/:id',
    {
      config: { auth: { scope: 'write:calendar' } },
      schema: {
        summary: 'Shows or hides a calendar in the calendar views, gives it a colour, or makes it the default for new events',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        body: CalendarUpdateBody,
        response: { 200: CalendarResponse, ...writeErrors },
      },
    },
    async (request) => {
      const id = parsePublicId('cal', request.params.id);
      if (id === null || !getCalendar(writer, id)) throw new OutpostError('not_found', `no calendar ${request.params.id}`);
      const { hidden, color, is_default: isDefault } = request.body;
      setCalendarChoices(writer, id, {
        ...(hidden !== undefined ? { hidden } : {}),
        ...(color !== undefined ? { ownColor: color === null ? null : color.toLowerCase() } : {}),
        ...(isDefault !== undefined ? { isDefault } : {}),
      });
      return { data: presentCalendar(getCalendar(writer, id) as CalendarRow) };
    },
  );

  app.get(
    '/v1/calendar/events',
    {
      config: { auth: { scope: 'read:calendar' } },
      schema: {
        summary: 'Events overlapping [from, to) across calendars, recurring series expanded into instances, in start order',
        querystring: EventListQuery,
        response: { 200: EventListResponse, ...errors },
      },
    },
    async (request) => {
      const from = request.query.from === undefined ? Date.now() : parseIsoInstant(request.query.from, 'from');
      const to = request.query.to === undefined ? from + 7 * DAY_MS : parseIsoInstant(request.query.to, 'to');
      if (to <= from) throw new OutpostError('validation_error', 'to must be after from', { field: 'to' });
      if (to - from > 366 * DAY_MS)
        throw new OutpostError('validation_error', 'the range may span at most 366 days', { field: 'to' });
      const requested = request.query.calendar_id === undefined ? [] : [request.query.calendar_id].flat();
      const calendarIds = requested.map((value) => {
        const id = parsePublicId('cal', value);
        if (id === null)
          throw new OutpostError('validation_error', `${value} is not a calendar id (cal_<n>)`, { field: 'calendar_id' });
        return id;
      });
      return { data: listEventsInRange(reader, { from, to, calendarIds }).map(presentEvent) };
    },
  );

  app.get(
    '/v1/calendar/events/:id',
    {
      config: { auth: { scope: 'read:calendar' } },
      schema: {
        summary: 'One event',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        response: { 200: EventResponse, ...errors },
      },
    },
    async (request) => {
      const id = parsePublicId('evt', request.params.id);
      const row = id === null ? undefined : getEvent(reader, id);
      if (!row) throw new OutpostError('not_found', `no event ${request.params.id}`);
      return { data: presentEvent(row) };
    },
  );

  app.post(
    '/v1/calendar/events/:id/respond',
    {
      config: { auth: { scope: 'write:calendar' } },
      schema: {
        summary:
          "Answers an invitation (yes, maybe, no) at the provider, the organizer notified; returns the event with the user's answer",
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        body: EventRsvpBody,
        response: { 200: EventResponse, ...writeErrors },
      },
    },
    async (request) => {
      const id = parsePublicId('evt', request.params.id);
      if (id === null || !getEvent(reader, id)) throw new OutpostError('not_found', `no event ${request.params.id}`);
      if (!respondToEvent)
        throw new OutpostError('service_unavailable', 'answering invitations is not available in this process');
      return { data: presentEvent(await respondToEvent(id, request.body.response)) };
    },
  );

  const editConfig = { auth: { scope: 'write:calendar' }, idempotent: true } as const;

  app.post(
    '/v1/calendar/events',
    {
      config: editConfig,
      schema: {
        summary:
          'Creates an event: in the index at once, then at the provider (guests invited by it) through a queue that survives being offline and restarts',
        body: EventCreateBody,
        response: { 201: EventResponse, ...writeErrors },
      },
    },
    async (request, reply) => {
      const { recurrence, ...fields } = request.body;
      const row = createEvent(writer, { ...draftOf(fields), ...(recurrence !== undefined ? { recurrence } : {}) });
      pushEventEditsSoon(jobs, runner, row.account_id);
      return reply.status(201).send({ data: presentEvent(row) });
    },
  );

  app.patch(
    '/v1/calendar/events/:id',
    {
      config: editConfig,
      schema: {
        summary:
          'Changes an event (only the fields given; an instance of a series alone, or with apply_to the following ones or the whole series): in the index at once, then at the provider through the queue',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        querystring: EventApplyToQuery,
        body: EventUpdateBody,
        response: { 200: EventResponse, ...writeErrors },
      },
    },
    async (request) => {
      const row = editEvent(writer, eventIdOf(request.params.id), draftOf(request.body), request.query.apply_to);
      pushEventEditsSoon(jobs, runner, row.account_id);
      return { data: presentEvent(row) };
    },
  );

  app.delete(
    '/v1/calendar/events/:id',
    {
      config: editConfig,
      schema: {
        summary:
          'Deletes an event (an instance of a series alone, or with apply_to the following ones or the whole series): gone from the index at once, then at the provider (guests told) through the queue',
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        querystring: EventApplyToQuery,
        response: { 204: { type: 'null' }, ...writeErrors },
      },
    },
    async (request, reply) => {
      const accountId = deleteEvent(writer, eventIdOf(request.params.id), request.query.apply_to);
      pushEventEditsSoon(jobs, runner, accountId);
      return reply.status(204).send(null);
    },
  );
}
