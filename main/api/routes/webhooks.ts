import {
  CreatedWebhookResponse,
  CreateWebhookBody,
  DeliveryListResponse,
  WebhookListResponse,
  WebhookParams,
} from '../../../shared/api/webhooks.ts';
import { OutpostError } from '../../core/outpostError.ts';
import type { ApiDeps, ApiServer } from '../server.ts';
import {
  createSubscription,
  deactivateSubscription,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  type SubscriptionRow,
} from '../webhooks/webhookStore.ts';

const errors = Object.fromEntries([400, 401, 403, 404].map((s) => [s, { $ref: 'ApiError#' }]));
const admin = { auth: 'admin' } as const;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function present(row: SubscriptionRow) {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events_json) as string[],
    created_at: new Date(row.created_at).toISOString(),
  };
}

/** Webhook subscriptions and their delivery log (admin scope). */
export function registerWebhookRoutes(app: ApiServer, { reader, writer }: ApiDeps): void {
  app.post(
    '/v1/webhooks',
    {
      config: admin,
      schema: {
        summary: 'Subscribe a URL to events (the signing secret is returned once)',
        body: CreateWebhookBody,
        response: { 201: CreatedWebhookResponse, ...errors },
      },
    },
    async (request, reply) => {
      let url: URL;
      try {
        url = new URL(request.body.url);
      } catch {
        throw new OutpostError('validation_error', 'url is not a valid URL', { field: 'url' });
      }
      if (url.username || url.password)
        throw new OutpostError('validation_error', 'url must not carry credentials', { field: 'url' });
      const row = createSubscription(writer, url.toString(), request.body.events);
      return reply.status(201).send({ data: { ...present(row), secret: row.secret } });
    },
  );
  app.get(
    '/v1/webhooks',
    { config: admin, schema: { summary: 'List webhook subscriptions', response: { 200: WebhookListResponse, ...errors } } },
    async () => ({
      data: listSubscriptions(reader).map(present),
    }),
  );
  app.delete(
    '/v1/webhooks/:id',
    {
      config: admin,
      schema: { summary: 'Delete a webhook subscription', params: WebhookParams, response: { 204: { type: 'null' }, ...errors } },
    },
    async (request, reply) => {
      if (!deactivateSubscription(writer, request.params.id))
        throw new OutpostError('not_found', `no webhook ${request.params.id}`);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      config: admin,
      schema: {
        summary: 'Delivery log of a webhook, newest first',
        params: WebhookParams,
        response: { 200: DeliveryListResponse, ...errors },
      },
    },
    async (request) => {
      if (!getSubscription(reader, request.params.id)) throw new OutpostError('not_found', `no webhook ${request.params.id}`);
      return {
        data: listDeliveries(reader, request.params.id).map((d) => ({
          id: d.id,
          event_id: d.event_id,
          event_type: d.event_type,
          status: d.status,
          attempts: d.attempts,
          next_attempt_at: d.status === 'pending' ? iso(d.next_attempt_at) : null,
          last_status_code: d.last_status_code,
          last_error: d.last_error,
          created_at: new Date(d.created_at).toISOString(),
          delivered_at: iso(d.delivered_at),
        })),
      };
    },
  );
}
