import type { OutboxMessage } from '../../../shared/api/outbox.ts';
import { formatLongDate } from '../formatDate.ts';
import { useOutboxStore } from '../outboxStore.ts';

/** Where a message stands, in words. */
function stateText(message: OutboxMessage): string {
  if (message.status === 'sending') return 'Sending…';
  if (message.status === 'failed') return `Not sent: ${message.last_error ?? 'the provider refused it'}`;
  const next = message.next_attempt_at ? `next try ${formatLongDate(message.next_attempt_at)}` : 'waiting';
  return message.attempts === 0 ? 'Waiting to send' : `Waiting to send (${next}; last try: ${message.last_error ?? 'failed'})`;
}

/** Messages written but not yet taken by the provider: why, and Send now / Cancel. */
export function OutboxView() {
  const messages = useOutboxStore((s) => s.messages);
  const error = useOutboxStore((s) => s.error);
  const { sendNow, cancel } = useOutboxStore.getState();
  return (
    <section className="outbox" aria-label="Outbox">
      <h2>Outbox</h2>
      <p className="muted">
        Messages you sent that the provider has not taken yet. Outpost keeps trying by itself, and never sends one twice.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {messages.length === 0 ? (
        <p className="empty">Everything has been sent.</p>
      ) : (
        <ul className="outbox-list" aria-label="Messages not sent yet">
          {messages.map((m) => (
            <li key={m.id} className={`outbox-item ${m.status}`}>
              <div>
                <strong>{m.subject || '(no subject)'}</strong>
                <span className="muted"> to {m.to.map((a) => a.name || a.email).join(', ') || '(no recipients)'}</span>
              </div>
              <div className="outbox-state">{stateText(m)}</div>
              <div className="outbox-actions">
                <button type="button" disabled={m.status === 'sending'} onClick={() => void sendNow(m.id)}>
                  Send now
                </button>
                <button type="button" disabled={m.status === 'sending'} onClick={() => void cancel(m.id)}>
                  Cancel
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
