import { Type } from 'typebox';

export const JobSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('email_sync'), Type.Literal('calendar_sync')]),
  mode: Type.Union([Type.Literal('full'), Type.Literal('incremental')]),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  account_id: Type.Union([Type.String(), Type.Null()]),
  parent_id: Type.Union([Type.String(), Type.Null()]),
  progress: Type.Object({ done: Type.Number(), total: Type.Union([Type.Number(), Type.Null()]) }),
  counts: Type.Record(Type.String(), Type.Number()),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  queued_at: Type.String(),
  started_at: Type.Union([Type.String(), Type.Null()]),
  finished_at: Type.Union([Type.String(), Type.Null()]),
});

export const JobResponse = Type.Object({ data: JobSchema }, { description: 'The job: status, progress, counts and error' });
export const JobParams = Type.Object({ job_id: Type.String({ maxLength: 100 }) });
