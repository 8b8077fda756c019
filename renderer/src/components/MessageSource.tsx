import { useEffect, useRef, useState } from 'react';
import type { Message } from '../../../shared/api/threads.ts';
import { ApiRequestError, api } from '../apiClient.ts';

/**
 * "Show original": the message as it came, headers and MIME parts, as text (never rendered),
 * with Download .eml. Some messages keep only their parse (the raw was not stored); that is said.
 */
export function MessageSource({ message, onClose }: { message: Message; onClose(): void }) {
  const [source, setSource] = useState<{ text: string; blob: Blob } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);
  useEffect(() => {
    let cancelled = false;
    api
      .messageRaw(message.id)
      .then(async (blob) => {
        // Headers are ASCII and bodies are in their own charsets: Latin-1 shows every byte as one character.
        const text = new TextDecoder('latin1').decode(await blob.arrayBuffer());
        if (!cancelled) setSource({ text, blob });
      })
      .catch((e: Error) => {
        if (cancelled) return;
        setError(
          e instanceof ApiRequestError && e.code === 'raw_not_available'
            ? 'Outpost kept only the parsed message for this one, not the original as it came.'
            : e.message,
        );
      });
    return () => {
      cancelled = true;
    };
  }, [message.id]);
  const download = () => {
    if (!source) return;
    const url = URL.createObjectURL(new Blob([source.blob], { type: 'message/rfc822' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${(message.subject || 'message').replace(/[\\/:*?"<>|]+/g, '_').slice(0, 80)}.eml`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-label="Original message"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="dialog message-source">
        <header>
          <strong>Original message</strong>
          <button type="button" disabled={!source} onClick={download}>
            Download .eml
          </button>
          <button type="button" ref={closeButton} onClick={onClose}>
            Close
          </button>
        </header>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {!source && !error && <p className="muted">Loading…</p>}
        {source && <pre className="source-text">{source.text}</pre>}
      </div>
    </div>
  );
}
