import DOMPurify from 'dompurify';

/**
 * The policy of the document an email's HTML is shown in. Nothing runs and
 * nothing is fetched: no scripts, no forms, no frames, no remote images,
 * fonts or stylesheets (they are trackers). The surrounding app's policy
 * applies too, as srcdoc frames inherit it.
 */
export const EMAIL_FRAME_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; form-action 'none'; base-uri 'none'";

const REMOTE = /^\s*(https?:)?\/\//i;
const CSS_REMOTE = /@import[^;]*;?|url\(\s*['"]?\s*(https?:)?\/\/[^)]*\)/gi;

export interface SafeEmailDocument {
  /** A complete HTML document for an iframe's srcdoc. */
  srcdoc: string;
  /** How many remote images or stylesheets were removed. */
  blockedRemote: number;
}

/**
 * Sanitizes an email's HTML with DOMPurify (scripts, event handlers,
 * javascript: URLs, forms, frames, objects go), removes remote references
 * (counted, so the reader can say so), and makes links open outside the app.
 */
export function safeEmailDocument(
  html: string,
  options: {
    showRemoteImages?: boolean;
    /** The message's own inline images (cid: references), as data: URLs: part of the message, not remote. */
    inlineImages?: ReadonlyMap<string, string>;
  } = {},
): SafeEmailDocument {
  const purifier = DOMPurify(window);
  let blockedRemote = 0;
  purifier.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style' && node.textContent) {
      const cleaned = node.textContent.replace(CSS_REMOTE, () => {
        blockedRemote++;
        return '';
      });
      node.textContent = cleaned;
    }
  });
  purifier.addHook('afterSanitizeAttributes', (node) => {
    const element = node as Element;
    const src = element.getAttribute?.('src');
    if (element.tagName === 'IMG' && src && /^cid:/i.test(src)) {
      const inline = options.inlineImages?.get(normalizeContentId(src.slice(4)));
      if (inline) element.setAttribute('src', inline);
      else element.removeAttribute('src');
    }
    for (const attribute of ['src', 'srcset', 'background', 'poster', 'lowsrc', 'dynsrc']) {
      const value = element.getAttribute?.(attribute);
      // Shown on request: https images only (never http, never styles or backgrounds).
      const allowed =
        options.showRemoteImages && element.tagName === 'IMG' && attribute === 'src' && value?.startsWith('https://');
      if (value && REMOTE.test(value) && !allowed) {
        element.removeAttribute(attribute);
        element.setAttribute('data-blocked-src', value.slice(0, 2000));
        blockedRemote++;
      }
    }
    const style = element.getAttribute?.('style');
    if (style && CSS_REMOTE.test(style)) {
      element.setAttribute('style', style.replace(CSS_REMOTE, 'none'));
      blockedRemote++;
    }
    if (element.tagName === 'A') {
      element.setAttribute('target', '_blank');
      element.setAttribute('rel', 'noopener noreferrer');
    }
  });
  const body = purifier.sanitize(html, {
    FORBID_TAGS: [
      'form',
      'input',
      'button',
      'textarea',
      'select',
      'option',
      'iframe',
      'frame',
      'frameset',
      'object',
      'embed',
      'applet',
      'base',
      'meta',
      'link',
      'audio',
      'video',
      'source',
      'track',
      'portal',
    ],
    FORBID_ATTR: ['action', 'formaction', 'ping'],
    ALLOW_DATA_ATTR: false,
  });
  const csp = options.showRemoteImages ? EMAIL_FRAME_CSP.replace('img-src data:', 'img-src data: https:') : EMAIL_FRAME_CSP;
  const srcdoc = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><style>html,body{margin:0;padding:0;font-family:system-ui,sans-serif;font-size:14px;line-height:1.5;overflow-wrap:anywhere;background:#fff;color:#1d1f23}img{max-width:100%;height:auto}table{max-width:100%}</style></head><body>${body}</body></html>`;
  return { srcdoc, blockedRemote };
}

/** A Content-ID as a cid: URL or a header names it: without angle brackets, percent-decoded, lower case. */
export function normalizeContentId(id: string): string {
  let bare = id.trim().replace(/^<|>$/g, '');
  try {
    bare = decodeURIComponent(bare);
  } catch {
    // not percent-encoded
  }
  return bare.toLowerCase();
}
