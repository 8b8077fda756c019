import { useEffect, useState } from 'react';
import type { Message } from '../../../shared/api/threads.ts';
import { api } from '../apiClient.ts';
import { formatSize } from '../composeDrafts.ts';
import { saveBlobAs } from '../saveBlob.ts';
import { ViewerDialog } from './ViewerDialog.tsx';

type Attachment = Message['attachments'][number];

/**
 * Types shown inside the app. Each is viewed under a type the browser
 * renders inertly (never HTML or SVG, which could run script in the app's
 * origin): images in an <img>, PDF in Chromium's viewer, text as plain text.
 */
const PREVIEWABLE: Record<string, 'image' | 'pdf' | 'text'> = {
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'image/bmp': 'image',
  'image/avif': 'image',
  'application/pdf': 'pdf',
  'text/plain': 'text',
  'text/csv': 'text',
  'text/calendar': 'text',
  'application/json': 'text',
};
const THUMBNAIL_MAX_BYTES = 5 * 1024 * 1024;

export function previewKind(mimeType: string): 'image' | 'pdf' | 'text' | null {
  return PREVIEWABLE[mimeType.toLowerCase().split(';')[0]?.trim() ?? ''] ?? null;
}

/** "PDF", "PNG image", "CSV" … for the list; the bare type when there is no short name. */
function typeLabel(mimeType: string): string {
  const [kind, sub = ''] = mimeType.toLowerCase().split('/');
  const short =
    sub
      .replace(/^(x-|vnd\.)/, '')
      .split(/[.+;]/)[0]
      ?.toUpperCase() ?? '';
  if (kind === 'image') return `${short} image`;
  if (mimeType === 'application/octet-stream') return 'File';
  if (mimeType === 'text/plain') return 'Text';
  return short.length > 0 && short.length <= 12 ? short : mimeType;
}

/** An inline image the HTML body shows (cid:); listed files are everything else. */
export function isShownInBody(message: Pick<Message, 'body_html'>, attachment: Attachment): boolean {
  if (!attachment.content_id || !message.body_html) return false;
  return message.body_html.toLowerCase().includes(`cid:${attachment.content_id.toLowerCase()}`);
}

/** The message's attachments: name, size and type, Open (inside the app, for safe types) and Save. */
export function AttachmentList({ message }: { message: Message }) {
  const [opened, setOpened] = useState<Attachment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const files = message.attachments.filter((a) => !isShownInBody(message, a));
  if (files.length === 0) return null;
  const total = files.reduce((sum, a) => sum + a.size_bytes, 0);
  return (
    <section className="attachments" aria-label={`Attachments of the message from ${message.from?.email ?? 'unknown'}`}>
      <h3 className="attachments-title">
        {files.length} attachment{files.length === 1 ? '' : 's'} · {formatSize(total)}
      </h3>
      <ul aria-label="Attachments">
        {files.map((a) => (
          <li key={a.id} className="attachment">
            <Thumbnail attachment={a} />
            <span className="attachment-name" title={a.filename}>
              {a.filename || '(unnamed)'}
            </span>
            <span className="muted">
              {formatSize(a.size_bytes)} · {typeLabel(a.mime_type)}
            </span>
            <span className="attachment-actions">
              {previewKind(a.mime_type) && (
                <button type="button" aria-label={`Open ${a.filename}`} onClick={() => setOpened(a)}>
                  Open
                </button>
              )}
              <button
                type="button"
                aria-label={`Save ${a.filename}`}
                onClick={() =>
                  void saveAttachment(a).then(
                    () => setError(null),
                    (e: Error) => setError(e.message),
                  )
                }
              >
                Save
              </button>
            </span>
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          Could not get the attachment: {error}
        </p>
      )}
      {opened && <AttachmentPreview attachment={opened} onClose={() => setOpened(null)} />}
    </section>
  );
}

/** A small picture of an image attachment already stored locally (the bytes come through the API). */
function Thumbnail({ attachment }: { attachment: Attachment }) {
  const [url, setUrl] = useState<string | null>(null);
  const show =
    previewKind(attachment.mime_type) === 'image' && attachment.content_available && attachment.size_bytes <= THUMBNAIL_MAX_BYTES;
  useEffect(() => {
    if (!show) return;
    let objectUrl: string | null = null;
    let cancelled = false;
    void api.attachment(attachment.id).then(
      (blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(new Blob([blob], { type: attachment.mime_type }));
        setUrl(objectUrl);
      },
      () => {},
    );
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [show, attachment.id, attachment.mime_type]);
  if (!show) return <span className="attachment-icon" aria-hidden="true" />;
  return url ? <img className="attachment-thumb" src={url} alt="" /> : <span className="attachment-icon" aria-hidden="true" />;
}

function AttachmentPreview({ attachment, onClose }: { attachment: Attachment; onClose(): void }) {
  const kind = previewKind(attachment.mime_type);
  const [content, setContent] = useState<{ url: string; text: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    let cancelled = false;
    void api.attachment(attachment.id).then(
      async (blob) => {
        if (cancelled) return;
        // The blob gets the safe type chosen here, whatever the server or the sender claimed.
        const type = kind === 'text' ? 'text/plain;charset=utf-8' : attachment.mime_type.toLowerCase();
        url = URL.createObjectURL(new Blob([blob], { type }));
        setContent({ url, text: kind === 'text' ? (await blob.text()).slice(0, 2_000_000) : null });
      },
      (e: Error) => setError(e.message),
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [attachment.id, attachment.mime_type, kind]);
  return (
    <ViewerDialog
      label={`Attachment: ${attachment.filename}`}
      className="attachment-preview"
      title={
        <>
          <strong>{attachment.filename}</strong>
          <span className="muted"> {formatSize(attachment.size_bytes)}</span>
        </>
      }
      actions={
        <button type="button" onClick={() => void saveAttachment(attachment).catch((e: Error) => setError(e.message))}>
          Save
        </button>
      }
      error={error}
      loaded={content !== null}
      onClose={onClose}
    >
      {content && kind === 'image' && <img src={content.url} alt={attachment.filename} />}
      {content && kind === 'pdf' && <iframe title={attachment.filename} src={content.url} />}
      {content && kind === 'text' && <pre className="attachment-text">{content.text}</pre>}
    </ViewerDialog>
  );
}

/** Downloads an attachment through the API (authenticated, so not a plain link) and hands it to the browser's save dialog. */
async function saveAttachment(attachment: Attachment): Promise<void> {
  saveBlobAs(await api.attachment(attachment.id), attachment.filename || 'attachment');
}
