import type { CoreEvent } from '../../shared/events.ts';

export type EventListener = (event: CoreEvent) => void;

/**
 * In-process fan-out of core events to the SSE stream, webhook deliveries and
 * tests. A listener that throws is logged and kept; it never breaks the emitter
 * (the sync engine) or the other listeners.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = (error) => console.error('event listener failed:', error)) {
    this.#onListenerError = onListenerError;
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: CoreEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
