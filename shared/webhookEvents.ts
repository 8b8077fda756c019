/**
 * The core events a webhook can subscribe to. Apart from the API's schemas
 * (shared/api/webhooks.ts, typebox): the engine announces webhooks by these
 * names, and `outpost sync` need not load typebox to open it (docs/benchmarks.md, CLI start-up).
 */
export const WEBHOOK_EVENTS = [
  'email.sync.completed',
  'calendar.sync.completed',
  'email.sync.failed',
  'calendar.sync.failed',
  'email.sent',
  'email.send_failed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
