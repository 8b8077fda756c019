import { type Static, Type } from 'typebox';
import { EmailAddressSchema } from './common.ts';

export const OutboxMessageSchema = Type.Object({
  id: Type.String({ description: 'out_<ulid>' }),
  account_id: Type.String(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('failed')], {
    description: 'queued: waiting for its next attempt; sending: with the provider now; failed: given up (send again or cancel)',
  }),
  subject: Type.String(),
  to: Type.Array(EmailAddressSchema),
  attempts: Type.Integer(),
  last_error: Type.Union([Type.String(), Type.Null()]),
  next_attempt_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'queued only' }),
  created_at: Type.String({ format: 'date-time' }),
});
export type OutboxMessage = Static<typeof OutboxMessageSchema>;

export const OutboxListResponse = Type.Object(
  { data: Type.Array(OutboxMessageSchema) },
  { description: 'Messages not sent yet (queued, being sent, failed), oldest first' },
);
export type OutboxListResponseBody = Static<typeof OutboxListResponse>;
export const OutboxMessageResponse = Type.Object(
  { data: OutboxMessageSchema },
  { description: 'The outbox message, as it now is' },
);
export const OutboxParams = Type.Object({ id: Type.String({ maxLength: 40, pattern: '^out_[0-9A-Za-z]+$' }) });
