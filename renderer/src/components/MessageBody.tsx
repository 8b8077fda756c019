import { useEffect, useMemo, useRef, useState } from 'react';
import type { Message } from '../../../shared/api/threads.ts';
import { safeEmailDocument } from '../safeEmailHtml.ts';
import { useTrustedSenders } from '../trustedSenders.ts';

/**
 * An email's body. HTML is sanitized and shown in a sandboxed frame: no
 * allow-scripts and no allow-forms, so nothing in it can run or submit;
 * allow-same-origin only lets this component size the frame to its content.
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
  const document = useMemo(
    () => (message.body_html ? safeEmailDocument(message.body_html, { showRemoteImages: showImages }) : null),
    [message.body_html, showImages],
  );
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(120);

  if (!document) return <div className="message-body">{message.body_text || message.snippet}</div>;
  return (
    <div className="message-html">
      {document.blockedRemote > 0 && (
        <p className="blocked-notice" role="note">
          Remote {showImages ? 'styles' : 'images and styles'} in this message were blocked to protect your privacy.
          {!showImages && (
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
        sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
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
