/**
 * The frame an email's HTML is shown in, and the hard limit on what it may
 * fetch. The sanitizer takes remote references out; this policy holds even
 * where it might miss one: nothing runs (sandbox without allow-scripts, no
 * script source), nothing is fetched before "Show images" (images from
 * data: only: the message's own inline pictures), and after it only the
 * exact https addresses of the <img> elements the sanitizer let through:
 * each is a source of its own (host, port and path), so a CSS background,
 * an SVG <image> or a font elsewhere, even on the same host, stays blocked.
 * Styles only inline, fonts only data:, no media, frames, objects, forms or
 * <base>. The app's own policy applies too (srcdoc frames inherit it): its
 * frame-src keeps the frame from being navigated anywhere else.
 */
export const EMAIL_FRAME_SANDBOX = 'allow-same-origin allow-popups allow-popups-to-escape-sandbox';

export function emailFrameCsp(shownImages: readonly string[] = []): string {
  const images = [...new Set(shownImages.map((url) => imageSource(url)).filter((source) => source !== null))];
  return [
    "default-src 'none'",
    "script-src 'none'",
    `img-src data:${images.map((source) => ` ${source}`).join('')}`,
    "style-src 'unsafe-inline'",
    'font-src data:',
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** A complete HTML document for the frame's srcdoc: the policy first, before anything of the message. */
export function emailFrameDocument(body: string, shownImages: readonly string[] = []): string {
  const csp = escapeAttribute(emailFrameCsp(shownImages));
  return (
    `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">` +
    // No DNS look-ups for the message's links ahead of a click.
    '<meta http-equiv="x-dns-prefetch-control" content="off"><meta name="referrer" content="no-referrer">' +
    '<style>html,body{margin:0;padding:0;font-family:system-ui,sans-serif;font-size:14px;line-height:1.5;overflow-wrap:anywhere;background:#fff;color:#1d1f23}img{max-width:100%;height:auto}table{max-width:100%}</style>' +
    `</head><body>${body}</body></html>`
  );
}

const CSP_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/**
 * An https image's address as a CSP source matching that one address (the
 * query aside, which CSP does not compare), or null when it cannot be
 * written as one (not https, a user name, an IPv6 or otherwise unusual host).
 */
export function imageSource(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || !CSP_HOST.test(url.hostname)) return null;
  // Percent-encode what would end a source or a directive (CSP compares paths percent-decoded).
  const path = url.pathname.replace(
    /[^A-Za-z0-9\-._~!$&()*+=:@/%]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `https://${url.host}${path}`;
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}
