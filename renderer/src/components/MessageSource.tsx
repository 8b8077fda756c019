import { useEffect, useState } from 'react';
import type { Message } from '../../../shared/api/threads.ts';
import { ApiRequestError, api } from '../apiClient.ts';
import { saveBlobAs } from '../saveBlob.ts';
import { ViewerDialog } from './ViewerDialog.tsx';

/**
 * "Show original": the message as it came, headers and MIME parts, as text (never rendered),
 * with Download .eml. Some messages keep only their parse (the raw was not stored); that is said.
 */
export function MessageSource({ message, onClose }: { message: Message; onClose(): void }) {
  const [source, setSource] = useState<{ text: string; blob: Blob } | null>(null);
  const [error, setError] = useState<string | null>(null);
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
    const filename = `${(message.subject || 'message').replace(/[\\/:*?"<>|]+/g, '_').slice(0, 80)}.eml`;
    saveBlobAs(new Blob([source.blob], { type: 'message/rfc822' }), filename);
  };
  return (
    <ViewerDialog
      label="Original message"
      className="message-source"
      title={<strong>Original message</strong>}
      actions={
        <button type="button" disabled={!source} onClick={download}>
          Download .eml
        </button>
      }
      error={error}
      loaded={source !== null}
      onClose={onClose}
    >
      {source && <pre className="source-text">{source.text}</pre>}
    </ViewerDialog>
  );
}
