import { type FormEvent, useState } from 'react';
import { type KeyListResponseBody, SCOPES, type Scope } from '../../../shared/api/keys.ts';
import { api } from '../apiClient.ts';
import { CheckboxGroup } from './CheckboxGroup.tsx';
import { useApiList } from './useApiList.ts';

type ApiKey = KeyListResponseBody['data'][number];

/** API keys for scripts calling the local API: created with their scopes (the key shown once), listed, revoked. */
export function KeySettings() {
  const { items: keys, reload: load, error, setError } = useApiList<ApiKey>(api.listKeys);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read:email']);
  const [created, setCreated] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { data } = await api.createKey(name.trim(), scopes);
      setCreated(data.key);
      setName('');
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section aria-labelledby="keys-title">
      <h3 id="keys-title">API keys</h3>
      <p className="muted">
        For scripts calling the local API. A key is shown once, when it is created. What each endpoint takes and answers:{' '}
        {/* A new tab in a browser; the desktop app hands it to the system browser (main/electron/windowPolicy.ts). */}
        <a href={`${window.outpost?.apiBaseUrl ?? ''}/docs`} target="_blank" rel="noopener noreferrer">
          API reference
        </a>
        .
      </p>
      <form className="key-form" aria-label="New API key" onSubmit={(e) => void create(e)}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </label>
        <CheckboxGroup legend="Scopes" choices={SCOPES} picked={scopes} onChange={setScopes} />
        <button type="submit" disabled={!name.trim() || scopes.length === 0}>
          Create key
        </button>
      </form>
      {created && (
        <p className="created-key" role="status">
          New key (copy it now; it will not be shown again): <code className="new-key">{created}</code>{' '}
          <button type="button" onClick={() => void navigator.clipboard?.writeText(created)}>
            Copy
          </button>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul className="key-list" aria-label="API keys">
        {keys.map((k) => (
          <li key={k.id}>
            <strong>{k.name}</strong> <code>{k.prefix}…</code> {k.scopes.join(', ')}
            {k.revoked_at ? (
              <span className="muted"> · revoked</span>
            ) : (
              <button type="button" onClick={() => void api.revokeKey(k.id).then(load)}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
