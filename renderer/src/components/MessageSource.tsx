import { useEffect, useState } from 'react';
import type { Message } from '../../../shared/api/threads.ts';
import { ApiRequestError, api } from '../apiClient.ts';
import { saveBlobAs } from '../saveBlob.ts';
import { ViewerDialog } from './ViewerDialog.tsx';

/**
 * "Show original": the message as it came, headers and MIME parts, as text (never rendered),
 * with Download .eml. An Outlook message's original is fetched from Graph the first time it is
 * asked for (then kept). Where no original is at hand (only the parse was kept, or it has yet to be
 * fetched and the provider cannot be reached) that is said, and there is nothing to download.
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
        setError(whyNoOriginal(e));
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
        source && (
          <button type="button" onClick={download}>
            Download .eml
          </button>
        )
      }
      error={error}
      loaded={source !== null}
      onClose={onClose}
    >
      {source && <pre className="source-text">{source.text}</pre>}
    </ViewerDialog>
  );
}

function whyNoOriginal(e: Error): string {
  if (!(e instanceof ApiRequestError)) return e.message;
  if (e.code === 'raw_not_available') return 'Outpost kept only the parsed message for this one, not the original as it came.';
  if (e.code === 'network_error')
    return 'The original of this message has not been fetched from the provider yet, and the provider cannot be reached now. Try again when you are online.';
  return e.message;
}
