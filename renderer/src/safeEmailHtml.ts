import DOMPurify, { type UponSanitizeAttributeHookEvent } from 'dompurify';
import { type BlockedKind, emptyReport, type RemoteContentReport } from './emailHtml/blockedNotice.ts';
import { cleanCss, cssValueKinds } from './emailHtml/css.ts';
import { emailFrameDocument, imageSource } from './emailHtml/framePolicy.ts';
import { parseReference, type ReferenceKind, referenceKind, srcsetUrls } from './emailHtml/references.ts';

export interface SafeEmailDocument {
  /** A complete HTML document for the frame's srcdoc, its Content-Security-Policy first. */
  srcdoc: string;
  /** What the message refers to outside itself, for the reader's notice. */
  report: RemoteContentReport;
  /** The https <img> addresses the frame may load (none until images are shown). */
  shownImages: string[];
}

const SVG = 'http://www.w3.org/2000/svg';
const HTML = 'http://www.w3.org/1999/xhtml';

// Elements removed whatever they hold (DOMPurify removes scripts and the like on its own).
const FORBID_TAGS = [
  ...['form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet'],
  ...['base', 'meta', 'link', 'audio', 'video', 'source', 'track', 'bgsound', 'portal', 'fencedframe', 'template', 'noscript'],
  // SVG animation can set an href after sanitizing: none of it is kept.
  ...['animate', 'set', 'animatecolor', 'animatemotion', 'animatetransform', 'discard'],
];
// Removed with everything inside (DOMPurify's own list, and the media, frames and objects above).
const DROPPED_CONTENT = new Set([
  ...['annotation-xml', 'audio', 'colgroup', 'desc', 'foreignobject', 'head', 'iframe', 'math', 'mi', 'mn', 'mo', 'ms'],
  ...['mtext', 'noembed', 'noframes', 'noscript', 'plaintext', 'script', 'selectedcontent', 'style', 'svg', 'template'],
  ...['thead', 'title', 'video', 'xmp', 'object', 'embed', 'applet', 'frameset', 'portal', 'fencedframe'],
]);
// Attributes that make a browser fetch, and what a removed element that had one counts as.
const FETCHING = new Set(['src', 'data', 'poster', 'background', 'codebase', 'archive']);
const REMOVED_KIND: Record<string, BlockedKind> = {
  ...Object.fromEntries(['img', 'input', 'image'].map((tag) => [tag, 'otherImage' as const])),
  ...Object.fromEntries(['link', 'base', 'meta'].map((tag) => [tag, 'linked' as const])),
  ...Object.fromEntries(['audio', 'video', 'track', 'bgsound'].map((tag) => [tag, 'media' as const])),
  ...Object.fromEntries(
    ['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal', 'fencedframe'].map((tag) => [
      tag,
      'embedded' as const,
    ]),
  ),
  script: 'script',
  style: 'style',
};
// Never fetched by a current browser, or only on a click or a submit: removed, not counted.
const DEAD_URL_ATTRIBUTES = new Set([
  'lowsrc',
  'dynsrc',
  'longdesc',
  'ping',
  'action',
  'formaction',
  'manifest',
  'icon',
  'xml:base',
]);

/**
 * Sanitizes an email's HTML with DOMPurify (scripts, event handlers,
 * javascript: URLs, forms, frames, objects go) and takes out, counting them
 * by kind, all references to anything outside the message: before "Show
 * images" every one, after it every one but https <img> sources. The frame's
 * Content-Security-Policy allows exactly those sources, so a reference the
 * sanitizer missed still loads nothing. Links open outside the app.
 */
export function safeEmailDocument(
  html: string,
  options: {
    showRemoteImages?: boolean;
    /** The message's own inline images (cid: references), as data: URLs: part of the message, not remote. */
    inlineImages?: ReadonlyMap<string, string>;
  } = {},
): SafeEmailDocument {
  const report = emptyReport();
  const shownImages: string[] = [];
  const counted = new WeakSet<Element>();
  const block = (kind: BlockedKind, n = 1) => {
    if (n > 0) report.blocked[kind] = (report.blocked[kind] ?? 0) + n;
  };
  /** A removed element (and, when its content goes with it, everything inside), counted once. */
  const countRemoved = (element: Element) => {
    for (const each of [element, ...(DROPPED_CONTENT.has(tagOf(element)) ? element.querySelectorAll('*') : [])]) {
      if (counted.has(each)) continue;
      counted.add(each);
      const kind = removedElementKind(each);
      if (kind) block(kind);
    }
  };

  const purifier = DOMPurify(window);
  purifier.addHook('uponSanitizeElement', (node, data) => {
    if (node.nodeType !== 1) return;
    const element = node as Element;
    if (FORBID_TAGS.includes(data.tagName) || !data.allowedTags[data.tagName]) countRemoved(element);
    else if (data.tagName === 'style') {
      const css = cleanCss(element.textContent ?? '');
      element.textContent = css.css;
      block('style', css.remote);
    }
  });
  purifier.addHook('uponSanitizeAttribute', (node, data) => {
    const element = node as Element;
    const tag = tagOf(element);
    const { attrName: name, attrValue: value } = data;
    if (name === 'style') {
      const css = cleanCss(value);
      data.attrValue = css.css;
      block('style', css.remote);
    } else if (name === 'src' && tag === 'img' && element.namespaceURI === HTML) {
      imageSourceVerdict(data);
    } else if (name === 'srcset' || name === 'imagesrcset') {
      data.keepAttr = false;
      if (srcsetUrls(value).some((url) => referenceKind(url) === 'remote')) block('srcset');
    } else if (name === 'href' || name === 'xlink:href') {
      // A link is followed only when clicked (in the system browser); any other href (SVG) is fetched.
      const link = tag === 'a' || tag === 'area';
      const kind = referenceKind(value);
      if (!link && kind !== 'none' && !(kind === 'inline' && tag === 'image'))
        drop(data, kind, element.namespaceURI === SVG ? 'svg' : 'other');
    } else if (FETCHING.has(name)) {
      const kind = referenceKind(value);
      if (kind !== 'inline')
        drop(data, kind, name === 'background' ? 'background' : element.namespaceURI === SVG ? 'svg' : 'other');
    } else if (DEAD_URL_ATTRIBUTES.has(name)) {
      data.keepAttr = false;
    } else if (element.namespaceURI === SVG && value.includes('(')) {
      // Presentation attributes (fill, filter, mask, clip-path, marker-*, cursor) are CSS values.
      const kinds = cssValueKinds(value);
      if (kinds.some((kind) => kind !== 'inline' && kind !== 'none'))
        drop(data, kinds.includes('remote') ? 'remote' : 'other', 'svg');
    }
  });
  purifier.addHook('afterSanitizeAttributes', (node) => {
    const element = node as Element;
    if (element.tagName === 'A') {
      element.setAttribute('target', '_blank');
      element.setAttribute('rel', 'noopener noreferrer');
    }
  });

  /** An <img src>: the message's own pictures always, https ones once allowed (as the exact address the policy lists). */
  function imageSourceVerdict(data: UponSanitizeAttributeHookEvent): void {
    const value = data.attrValue;
    if (/^cid:/i.test(value)) {
      const inline = options.inlineImages?.get(normalizeContentId(value.slice(4)));
      if (inline) data.attrValue = inline;
      else data.keepAttr = false;
      return;
    }
    const { kind, url } = parseReference(value);
    if (kind === 'inline') return;
    data.keepAttr = false;
    if (kind !== 'remote' || !url) return;
    if (!imageSource(url.href)) {
      block('otherImage');
      return;
    }
    report.images++;
    if (!options.showRemoteImages) return;
    data.attrValue = url.href;
    data.keepAttr = true;
    shownImages.push(url.href);
  }

  function drop(data: UponSanitizeAttributeHookEvent, kind: ReferenceKind, as: BlockedKind): void {
    data.keepAttr = false;
    if (kind === 'remote') block(as);
  }

  const body = purifier.sanitize(html, {
    FORBID_TAGS,
    FORBID_CONTENTS: [...DROPPED_CONTENT],
    FORBID_ATTR: ['action', 'formaction', 'ping'],
    ALLOW_DATA_ATTR: false,
    // Styles in the message's <head> are read (and cleaned) like those in its body.
    FORCE_BODY: true,
  });
  return { srcdoc: emailFrameDocument(body, shownImages), report, shownImages };
}

function tagOf(element: Element): string {
  return element.localName.toLowerCase();
}

/** What a removed element would have fetched, if anything remote. */
function removedElementKind(element: Element): BlockedKind | null {
  const tag = tagOf(element);
  const refs: string[] = [];
  for (const { name, value } of element.attributes) {
    const lower = name.toLowerCase();
    if (FETCHING.has(lower)) refs.push(value);
    else if (lower === 'srcset' || lower === 'imagesrcset') refs.push(...srcsetUrls(value));
    else if ((lower === 'href' || lower === 'xlink:href') && tag !== 'a' && tag !== 'area') refs.push(value);
    else if (lower === 'content' && tag === 'meta') refs.push(...metaUrls(element, value));
    else if (['values', 'to', 'from', 'by'].includes(lower)) refs.push(...value.split(';'));
    else if (lower === 'style' && cleanCss(value).remote > 0) return 'style';
  }
  if (tag === 'style' && cleanCss(element.textContent ?? '').remote > 0) return 'style';
  if (!refs.some((ref) => referenceKind(ref) === 'remote')) return null;
  if (tag === 'source') return element.parentElement && tagOf(element.parentElement) === 'picture' ? 'srcset' : 'media';
  return REMOVED_KIND[tag] ?? (element.namespaceURI === SVG ? 'svg' : 'other');
}

/** The address a <meta http-equiv="refresh"> goes to, or those a <meta http-equiv="Link"> loads. */
function metaUrls(element: Element, content: string): string[] {
  const equiv = element.getAttribute('http-equiv')?.toLowerCase();
  if (equiv === 'refresh') return [/^[\s\d.]*[;,]?\s*(?:url\s*=\s*)?['"]?([^'"]*)/i.exec(content)?.[1] ?? ''];
  if (equiv === 'link') return [...content.matchAll(/<([^>]*)>/g)].map((match) => match[1] ?? '');
  return [];
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
