import { Type } from 'typebox';

export const SyncMode = Type.Union([Type.Literal('incremental'), Type.Literal('full')], { default: 'incremental' });

export const EmailSyncBody = Type.Object(
  {
    mode: Type.Optional(SyncMode),
    provider: Type.Optional(Type.Union([Type.Literal('gmail'), Type.Literal('microsoft')])),
    account_id: Type.Optional(
      Type.String({
        maxLength: 100,
        description: "Outpost's own: only this account's mailbox (the mail view's Refresh in one account's mailbox)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const CalendarSyncBody = Type.Object(
  {
    mode: Type.Optional(SyncMode),
    provider: Type.Optional(Type.Union([Type.Literal('google'), Type.Literal('microsoft')])),
    from_date: Type.Optional(
      Type.String({ maxLength: 40, description: 'ISO 8601 date or date-time (no offset: UTC); full mode; default 90 days back' }),
    ),
    to_date: Type.Optional(
      Type.String({
        maxLength: 40,
        description: 'ISO 8601 date or date-time (no offset: UTC); full mode; default 180 days ahead',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SyncQueuedResponse = Type.Object(
  {
    data: Type.Object({
      job_id: Type.String(),
      status: Type.String(),
      mode: Type.String(),
      queued_at: Type.String({ description: 'ISO 8601, seconds precision' }),
    }),
  },
  { description: 'The queued sync job' },
);

export const ServiceSyncQuery = Type.Object({ mode: Type.Optional(SyncMode) });

export const ServiceSyncResponse = Type.Object(
  {
    ok: Type.Boolean(),
    mode: Type.String(),
    threadsProcessed: Type.Optional(Type.Number()),
    messagesProcessed: Type.Optional(Type.Number()),
  },
  { description: 'The finished sync: the mode that ran and what it processed' },
);

export const GmailConnectionParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const SyncStartedResponse = Type.Object(
  { jobId: Type.String({ format: 'uuid' }) },
  { description: 'Accepted: the id of the queued sync job' },
);

export const ProblemDetails = Type.Object({
  type: Type.Union([Type.Null(), Type.String()]),
  title: Type.Union([Type.Null(), Type.String()]),
  status: Type.Union([Type.Null(), Type.Integer()]),
  detail: Type.Union([Type.Null(), Type.String()]),
  instance: Type.Union([Type.Null(), Type.String()]),
  code: Type.String(),
  message: Type.String(),
  request_id: Type.String(),
});
