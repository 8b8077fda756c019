import type { CoreEvent } from '../../shared/events.ts';
import { recordDeliveries, webhookEventOf } from '../api/webhooks/webhookStore.ts';
import type { WritableDb } from '../db/handles.ts';
import { afterCommit } from '../db/transactions.ts';
import type { Log } from './log.ts';

export type EventListener = (event: CoreEvent) => void;

/**
 * In-process fan-out of core events to the SSE stream, the webhook worker,
 * the desktop shell and tests. Listeners never run inside a transaction:
 * events a write announces are published through `publish`, which records
 * their webhook deliveries in the write's own transaction (delivered exactly
 * when the change committed) and tells listeners after the commit. A
 * listener that throws is logged and kept; it never breaks the emitter or
 * the other listeners.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();
  readonly #log: Log;

  constructor(log: Log) {
    this.#log = log;
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells listeners now: for events no transaction is writing (progress, an account's state, a stream of news). */
  emit(event: CoreEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#log.error({ err: error, event: event.type }, 'an event listener failed');
      }
    }
  }

  /**
   * Announces a change being written on `db`: its webhook deliveries are
   * recorded now (inside the caller's transaction, if one is open) and the
   * listeners are told once it commits; a rollback drops both.
   */
  publish(db: WritableDb, event: CoreEvent): void {
    const hook = webhookEventOf(event);
    if (hook) recordDeliveries(db, hook);
    afterCommit(db, () => this.emit(event));
  }
}
