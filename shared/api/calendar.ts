import { type Static, Type } from 'typebox';

export const CalendarSchema = Type.Object({
  id: Type.String({ description: 'cal_<n>' }),
  account_id: Type.String(),
  provider_calendar_id: Type.String(),
  name: Type.String(),
  color: Type.Union([Type.String(), Type.Null()], { description: 'The colour shown: the one chosen here, else the provider’s' }),
  provider_color: Type.Union([Type.String(), Type.Null()], { description: 'The colour the provider gives the calendar' }),
  time_zone: Type.Union([Type.String(), Type.Null()]),
  is_primary: Type.Boolean(),
  hidden: Type.Boolean({ description: 'Left out of the calendar views (its events still answer the API)' }),
  is_default: Type.Boolean({ description: 'New events go here unless another calendar is named (at most one)' }),
});
export type Calendar = Static<typeof CalendarSchema>;

export const CalendarUpdateBody = Type.Object(
  {
    hidden: Type.Optional(Type.Boolean({ description: 'Hide the calendar from the calendar views, or show it again' })),
    color: Type.Optional(
      Type.Union([Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }), Type.Null()], {
        description: 'A colour of your own (#rrggbb); null goes back to the provider’s',
      }),
    ),
    is_default: Type.Optional(Type.Boolean({ description: 'true: new events go here (the previous default stops being one)' })),
  },
  { additionalProperties: false },
);
export type CalendarUpdateBody = Static<typeof CalendarUpdateBody>;

export const CalendarResponse = Type.Object({ data: CalendarSchema }, { description: 'The calendar as it now is' });

export const CalendarListResponse = Type.Object(
  { data: Type.Array(CalendarSchema) },
  { description: 'The calendars of every connected account' },
);

export const AttendeeSchema = Type.Object({
  email: Type.String(),
  name: Type.String(),
  response: Type.String({ description: 'accepted, declined, tentative or needsAction' }),
  optional: Type.Boolean(),
  organizer: Type.Boolean(),
  self: Type.Boolean(),
});

export const EventSchema = Type.Object({
  id: Type.String({ description: 'evt_<n>' }),
  calendar_id: Type.String(),
  calendar_name: Type.String(),
  calendar_color: Type.Union([Type.String(), Type.Null()]),
  account_id: Type.String(),
  provider_event_id: Type.String(),
  series_id: Type.Union([Type.String(), Type.Null()], { description: 'The recurring series this instance belongs to' }),
  status: Type.String(),
  summary: Type.String(),
  description: Type.String(),
  location: Type.String(),
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
  all_day: Type.Boolean(),
  start_date: Type.Union([Type.String(), Type.Null()], { description: 'All-day events: the local date (YYYY-MM-DD)' }),
  end_date: Type.Union([Type.String(), Type.Null()], { description: 'All-day events: the exclusive end date' }),
  time_zone: Type.Union([Type.String(), Type.Null()]),
  organizer: Type.Union([Type.Object({ email: Type.String(), name: Type.String() }), Type.Null()]),
  attendees: Type.Array(AttendeeSchema),
  conference_url: Type.Union([Type.String(), Type.Null()]),
  reminders_minutes: Type.Array(Type.Integer()),
  web_link: Type.Union([Type.String(), Type.Null()]),
});
export type CalendarEvent = Static<typeof EventSchema>;

export const EventListQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 date or date-time (no offset: UTC); default: now' })),
  to: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'ISO 8601 date or date-time (no offset: UTC); default: 7 days after from; at most 366 days after it',
    }),
  ),
  calendar_id: Type.Optional(
    Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 })]),
  ),
});

export const EventListResponse = Type.Object(
  { data: Type.Array(EventSchema) },
  { description: 'The events overlapping the range, recurring series expanded into instances, in start order' },
);
export type EventListResponse = Static<typeof EventListResponse>;
export const EventResponse = Type.Object(
  { data: EventSchema },
  { description: 'The event (after an answer, with the user’s answer among its attendees)' },
);

export const EventRsvpBody = Type.Object(
  {
    response: Type.Union([Type.Literal('accepted'), Type.Literal('tentative'), Type.Literal('declined')], {
      description: 'Yes, maybe or no to the invitation',
    }),
  },
  { additionalProperties: false },
);
export type EventRsvpBody = Static<typeof EventRsvpBody>;

const EventGuestInput = Type.Object(
  {
    email: Type.String({ maxLength: 320 }),
    name: Type.Optional(Type.String({ maxLength: 256 })),
    optional: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const eventFieldsInput = {
  summary: Type.Optional(Type.String({ maxLength: 1024 })),
  description: Type.Optional(Type.String({ maxLength: 65_536 })),
  location: Type.Optional(Type.String({ maxLength: 1024 })),
  all_day: Type.Optional(Type.Boolean({ description: 'An all-day event: start_date (and end_date) instead of start and end' })),
  start: Type.Optional(
    Type.String({ maxLength: 40, description: 'ISO 8601 date-time (no offset: UTC); a timed event needs it' }),
  ),
  end: Type.Optional(
    Type.String({ maxLength: 40, description: 'ISO 8601 date-time; default: start plus the event’s length (one hour when new)' }),
  ),
  start_date: Type.Optional(Type.String({ maxLength: 10, description: 'All-day events: the first day (YYYY-MM-DD)' })),
  end_date: Type.Optional(
    Type.String({ maxLength: 10, description: 'All-day events: the day after the last (exclusive); default: one day' }),
  ),
  time_zone: Type.Optional(
    Type.String({ maxLength: 64, description: 'IANA zone the event is scheduled in; default: the calendar’s, else UTC' }),
  ),
  attendees: Type.Optional(
    Type.Array(EventGuestInput, { maxItems: 200, description: 'The guests; the provider sends them the invitation' }),
  ),
  video_call: Type.Optional(
    Type.Literal(true, {
      description:
        'Adds a video call made by the provider (Google Meet, Microsoft Teams); its link is conference_url after the next sync',
    }),
  ),
  reminders_minutes: Type.Optional(
    Type.Array(Type.Integer({ minimum: 0, maximum: 40320 }), {
      maxItems: 5,
      description:
        'Reminders in minutes before the start ([] for none; Outlook keeps the first); default on a new event: the calendar’s',
    }),
  ),
};

export const EventCreateBody = Type.Object(
  {
    calendar_id: Type.String({ maxLength: 40, description: 'cal_<n>: the calendar the event goes in' }),
    ...eventFieldsInput,
    recurrence: Type.Optional(
      Type.String({
        maxLength: 300,
        description:
          'A recurring series: an RRULE (FREQ DAILY, WEEKLY, MONTHLY or YEARLY; INTERVAL, COUNT or UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS), e.g. FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EventCreateBody = Static<typeof EventCreateBody>;

export const EventUpdateBody = Type.Object(
  {
    calendar_id: Type.Optional(
      Type.String({ maxLength: 40, description: 'cal_<n>: another calendar of the same account moves the event there' }),
    ),
    ...eventFieldsInput,
    recurrence: Type.Optional(
      Type.String({
        maxLength: 300,
        description: 'A new rule for the series (with apply_to all or following), as in a create: e.g. FREQ=DAILY;COUNT=5',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EventUpdateBody = Static<typeof EventUpdateBody>;

/** Which events a change or delete of an instance of a recurring series reaches. */
export const EventApplyToQuery = Type.Object(
  {
    apply_to: Type.Optional(
      Type.Union([Type.Literal('this'), Type.Literal('following'), Type.Literal('all')], {
        description:
          'For an instance of a recurring series: this event alone (default), this and the following events (the series is split there), or all events of the series. Moves keep wall-clock time in the event’s zone',
      }),
    ),
  },
  { additionalProperties: false },
);
export type EventApplyToQuery = Static<typeof EventApplyToQuery>;
