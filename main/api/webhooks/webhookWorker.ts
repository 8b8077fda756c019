import { createHmac } from 'node:crypto';
import type { EventBus } from '../../core/eventBus.ts';
import type { Log } from '../../core/log.ts';
import type { WritableDb } from '../../db/handles.ts';
import { dueDeliveries, recordAttempt, webhookEventOf } from './webhookStore.ts';

export const SIGNATURE_HEADER = 'Outpost-Signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the subscription's secret>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Posts due webhook deliveries: at once when an event with a webhook is published (its delivery
 * rows were written with the change), and on a timer for retries. Rows survive a restart: the
 * worker of the next start picks up what is due.
 */
export class WebhookWorker {
  readonly #db: WritableDb;
  readonly #events: EventBus;
  readonly #pollMs: number;
  readonly #timeoutMs: number;
  readonly #log: Log;
  #timer: NodeJS.Timeout | null = null;
  #unsubscribe: (() => void) | null = null;
  #running: Promise<void> | null = null;

  constructor(db: WritableDb, events: EventBus, options: { log: Log; pollMs?: number | undefined; timeoutMs?: number }) {
    this.#db = db;
    this.#events = events;
    this.#pollMs = options.pollMs ?? 2000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#log = options.log;
  }

  start(): void {
    // Deliveries are recorded by the write that announces the event (EventBus.publish, in its
    // transaction); the event, heard after the commit, only says there is something to post now.
    this.#unsubscribe = this.#events.subscribe((event) => {
      if (webhookEventOf(event)) this.tick();
    });
    this.#timer = setInterval(() => this.tick(), this.#pollMs);
    this.#timer.unref();
    this.tick();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  /** Delivers what is due (one pass at a time). */
  tick(): void {
    if (this.#running) return;
    this.#running = this.#deliverDue()
      .catch((error: unknown) => this.#log.error({ err: error }, 'webhook delivery pass failed'))
      .finally(() => {
        this.#running = null;
      });
  }

  async #deliverDue(): Promise<void> {
    for (const delivery of dueDeliveries(this.#db, Date.now(), 20)) {
      const timestamp = Math.floor(Date.now() / 1000);
      let outcome: { ok: boolean; statusCode: number | null; error: string | null };
      try {
        const res = await fetch(delivery.url, {
          method: 'POST',
          redirect: 'manual', // a receiver that redirects is not followed: the signature is for this URL only
          signal: AbortSignal.timeout(this.#timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Outpost-Webhooks/1',
            [SIGNATURE_HEADER]: signWebhook(delivery.secret, timestamp, delivery.payload),
            'Outpost-Event': delivery.event_type,
            'Outpost-Delivery': delivery.id,
          },
          body: delivery.payload,
        });
        await res.body?.cancel();
        outcome = {
          ok: res.status >= 200 && res.status < 300,
          statusCode: res.status,
          error: res.ok ? null : `HTTP ${res.status}`,
        };
      } catch (error) {
        outcome = { ok: false, statusCode: null, error: (error as Error).message };
      }
      recordAttempt(this.#db, delivery, outcome, Date.now());
      // The receiver's URL is left out: it can carry a token of its own.
      if (!outcome.ok)
        this.#log.warn(
          {
            delivery: delivery.id,
            event: delivery.event_type,
            attempt: delivery.attempts + 1,
            status: outcome.statusCode,
            error: outcome.error,
          },
          'webhook delivery failed; it is retried with backoff for 24 hours',
        );
    }
  }
}
