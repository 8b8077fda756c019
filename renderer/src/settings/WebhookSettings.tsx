import { type FormEvent, useState } from 'react';
import {
  type DeliveryListResponseBody,
  WEBHOOK_EVENTS,
  type WebhookEvent,
  type WebhookListResponseBody,
} from '../../../shared/api/webhooks.ts';
import { api } from '../apiClient.ts';
import { CheckboxGroup } from './CheckboxGroup.tsx';
import { useApiList } from './useApiList.ts';

type Webhook = WebhookListResponseBody['data'][number];
type Delivery = DeliveryListResponseBody['data'][number];

/** Webhooks: URLs the core POSTs signed events to, with each one's delivery log. */
export function WebhookSettings() {
  const { items: hooks, reload: load, error, setError } = useApiList<Webhook>(api.listWebhooks);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['email.sync.completed']);
  const [secret, setSecret] = useState<string | null>(null);
  const [log, setLog] = useState<{ id: string; deliveries: Delivery[] } | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setSecret((await api.createWebhook(url.trim(), events)).data.secret);
      setUrl('');
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const showLog = async (id: string) => {
    try {
      setLog({ id, deliveries: (await api.webhookDeliveries(id)).data });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section aria-labelledby="webhooks-title">
      <h3 id="webhooks-title">Webhooks</h3>
      <p className="muted">
        Outpost POSTs signed JSON (header Outpost-Signature: t=…,v1=HMAC-SHA256 of "t.body") when these events happen, retrying
        for 24 hours.
      </p>
      <form className="key-form" aria-label="New webhook" onSubmit={(e) => void create(e)}>
        <label>
          URL
          <input value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="http://127.0.0.1:8080/hook" />
        </label>
        <CheckboxGroup legend="Events" choices={WEBHOOK_EVENTS} picked={events} onChange={setEvents} />
        <button type="submit" disabled={!url.trim() || events.length === 0}>
          Add webhook
        </button>
      </form>
      {secret && (
        <p className="created-key" role="status">
          Signing secret (copy it now; it will not be shown again): <code className="new-secret">{secret}</code>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul className="key-list" aria-label="Webhooks">
        {hooks.map((h) => (
          <li key={h.id}>
            <strong>{h.url}</strong> {h.events.join(', ')}{' '}
            <button type="button" onClick={() => void showLog(h.id)}>
              Deliveries
            </button>
            <button type="button" onClick={() => void api.deleteWebhook(h.id).then(load)}>
              Delete
            </button>
            {log?.id === h.id && (
              <ul aria-label={`Deliveries to ${h.url}`}>
                {log.deliveries.length === 0 && <li className="muted">No deliveries yet.</li>}
                {log.deliveries.map((d) => (
                  <li key={d.id}>
                    {d.event_type} · {d.status} · {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                    {d.last_status_code ? ` · HTTP ${d.last_status_code}` : ''}
                    {d.last_error ? ` · ${d.last_error}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
