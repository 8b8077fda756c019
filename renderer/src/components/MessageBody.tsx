import { useEffect, useMemo, useRef, useState } from 'react';
import type { Message } from '../../../shared/api/threads.ts';
import { api } from '../apiClient.ts';
import { blockedNotice } from '../emailHtml/blockedNotice.ts';
import { EMAIL_FRAME_SANDBOX } from '../emailHtml/framePolicy.ts';
import { plainTextBlocks } from '../plainTextBlocks.ts';
import { normalizeContentId, safeEmailDocument } from '../safeEmailHtml.ts';
import { useTrustedSenders } from '../trustedSenders.ts';

/**
 * An email's body. HTML is sanitized and shown in a sandboxed frame: no
 * allow-scripts and no allow-forms, so nothing in it can run or submit;
 * allow-same-origin only lets this component size the frame to its content.
 * Nothing remote loads until the person says "Show images", and then only
 * https <img> sources; the notice says what was shown and what was blocked.
 * Plain text is rendered as text.
 */
export function MessageBody({ message }: { message: Message }) {
  const sender = message.from?.email.toLowerCase() ?? '';
  const trusted = useTrustedSenders((s) => s.emails.has(sender));
  const loadTrusted = useTrustedSenders((s) => s.load);
  const trust = useTrustedSenders((s) => s.trust);
  const [showOnce, setShowOnce] = useState(false);
  const showImages = trusted || showOnce;
  useEffect(() => {
    void loadTrusted();
  }, [loadTrusted]);
  const inlineImages = useInlineImages(message);
  const document = useMemo(() => {
    if (!message.body_html) return null;
    try {
      return safeEmailDocument(message.body_html, { showRemoteImages: showImages, inlineImages });
    } catch (error) {
      // HTML the sanitizer cannot read is never shown as HTML: the message's text stands in for it.
      console.error(`message ${message.id}: its HTML could not be sanitized; showing its text`, error);
      return null;
    }
  }, [message.id, message.body_html, showImages, inlineImages]);
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(120);

  if (!document) return <PlainTextBody text={message.body_text || message.snippet} />;
  const notice = blockedNotice(document.report, showImages);
  return (
    <div className="message-html">
      {notice && (
        <p className="blocked-notice" role="note">
          {notice}
          {!showImages && document.report.images > 0 && (
            <>
              {' '}
              <button type="button" onClick={() => setShowOnce(true)}>
                Show images
              </button>
              {sender && (
                <button type="button" onClick={() => void trust(sender)}>
                  Always show images from {sender}
                </button>
              )}
            </>
          )}
        </p>
      )}
      <iframe
        ref={frame}
        title={`Message: ${message.subject || '(no subject)'}`}
        sandbox={EMAIL_FRAME_SANDBOX}
        referrerPolicy="no-referrer"
        srcDoc={document.srcdoc}
        style={{ height }}
        onLoad={() => {
          const root = frame.current?.contentDocument?.documentElement;
          if (root) setHeight(Math.min(20_000, root.scrollHeight + 4));
        }}
      />
    </div>
  );
}

const INLINE_IMAGE_MAX_BYTES = 5 * 1024 * 1024;

/**
 * The message's inline images (logos, signatures, pasted pictures the HTML
 * shows through cid: references), read from the index as data: URLs: they
 * are part of the message, so they show without "Show images". Raster types
 * only; until they arrive the body shows without them.
 */
function useInlineImages(message: Message): ReadonlyMap<string, string> | undefined {
  const [images, setImages] = useState<ReadonlyMap<string, string>>();
  const wanted = useMemo(
    () =>
      message.body_html && /\bcid:/i.test(message.body_html)
        ? message.attachments.filter(
            (a) =>
              a.content_id &&
              /^image\/(png|jpeg|gif|webp|bmp|avif)$/i.test(a.mime_type) &&
              a.size_bytes <= INLINE_IMAGE_MAX_BYTES,
          )
        : [],
    [message.body_html, message.attachments],
  );
  useEffect(() => {
    if (wanted.length === 0) return;
    let cancelled = false;
    void Promise.all(
      wanted.map(async (a) => {
        try {
          const blob = await api.attachment(a.id);
          const url = await new Promise<string>((resolve, reject) => {
            const reader = new FileReader();
            reader.onload = () => resolve(String(reader.result));
            reader.onerror = () => reject(reader.error);
            reader.readAsDataURL(new Blob([blob], { type: a.mime_type.toLowerCase() }));
          });
          return [normalizeContentId(a.content_id ?? ''), url] as const;
        } catch {
          return null;
        }
      }),
    ).then((entries) => {
      if (!cancelled) setImages(new Map(entries.filter((e): e is readonly [string, string] => e !== null)));
    });
    return () => {
      cancelled = true;
    };
  }, [wanted]);
  return images;
}

/** Plain text as text, quoted lines set off, and the quote a reply ends with folded behind "•••". */
function PlainTextBody({ text }: { text: string }) {
  const { blocks, trailing } = useMemo(() => plainTextBlocks(text), [text]);
  const [showQuoted, setShowQuoted] = useState(false);
  const render = (list: typeof blocks) =>
    list.map((block, index) =>
      block.kind === 'quote' ? (
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks are positional and never reorder
        <blockquote key={index} className="quoted">
          {block.text}
        </blockquote>
      ) : (
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks are positional and never reorder
        <span key={index}>{block.text}</span>
      ),
    );
  return (
    <div className="message-body">
      {render(blocks)}
      {trailing.length > 0 && (
        <>
          <button
            type="button"
            className="show-quoted"
            aria-expanded={showQuoted}
            title={showQuoted ? 'Hide quoted text' : 'Show quoted text'}
            onClick={() => setShowQuoted((shown) => !shown)}
          >
            <span aria-hidden="true">•••</span>
            <span className="sr-only">{showQuoted ? 'Hide quoted text' : 'Show quoted text'}</span>
          </button>
          {showQuoted && <div className="quoted-tail">{render(trailing)}</div>}
        </>
      )}
    </div>
  );
}
