import { Type } from 'typebox';
import {
  CalendarListResponse,
  EventListQuery,
  EventListResponse,
  EventResponse,
  EventRsvpBody,
} from '../../../shared/api/calendar.ts';
import { parsePublicId } from '../../../shared/ids.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { getEvent, listCalendars, listEventsInRange } from '../../db/queries/calendarEvents.ts';
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

export function registerCalendarRoutes(app: ApiServer, { reader, respondToEvent }: ApiDeps): void {
  app.get(
    '/v1/calendar/calendars',
    {
      config: { auth: { scope: 'read:calendar' } },
      schema: { summary: 'Calendars of every connected account', response: { 200: CalendarListResponse, ...errors } },
    },
    async () => ({ data: listCalendars(reader).map(presentCalendar) }),
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
}
