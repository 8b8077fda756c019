import { type Static, Type } from 'typebox';
import { WEBHOOK_EVENTS } from '../webhookEvents.ts';

export { WEBHOOK_EVENTS, type WebhookEvent } from '../webhookEvents.ts';

export const WebhookEventName = Type.Enum(WEBHOOK_EVENTS);

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://' }),
    events: Type.Array(WebhookEventName, { minItems: 1, maxItems: WEBHOOK_EVENTS.length }),
  },
  { additionalProperties: false },
);

export const WebhookSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  created_at: Type.String(),
});

export const CreatedWebhookResponse = Type.Object(
  {
    data: Type.Object({
      ...WebhookSchema.properties,
      secret: Type.String({ description: 'Signing secret, shown only in this response' }),
    }),
  },
  { description: 'The new subscription, with its signing secret (shown only in this response)' },
);
export const WebhookListResponse = Type.Object({ data: Type.Array(WebhookSchema) }, { description: 'The webhook subscriptions' });
export const WebhookParams = Type.Object({ id: Type.String({ maxLength: 100 }) });

export const DeliveryListResponse = Type.Object(
  {
    data: Type.Array(
      Type.Object({
        id: Type.String(),
        event_id: Type.String(),
        event_type: Type.String(),
        status: Type.String(),
        attempts: Type.Integer(),
        next_attempt_at: Type.Union([Type.String(), Type.Null()]),
        last_status_code: Type.Union([Type.Integer(), Type.Null()]),
        last_error: Type.Union([Type.String(), Type.Null()]),
        created_at: Type.String(),
        delivered_at: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  },
  { description: 'The webhook’s deliveries, newest first' },
);

export type WebhookListResponseBody = Static<typeof WebhookListResponse>;
export type CreatedWebhookResponseBody = Static<typeof CreatedWebhookResponse>;
export type DeliveryListResponseBody = Static<typeof DeliveryListResponse>;
