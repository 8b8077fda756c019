import DOMPurify from 'dompurify';
import { linkifyit } from 'linkify-it';

// Google keeps descriptions written in its editor as a little HTML (<b>, <br>, <a>, lists); Outlook's and
// those written through the API are plain text. Either way only this much of HTML is kept, and only links to
// the web or to an address: no images, styles, forms or scripts.
const ALLOWED_TAGS = ['a', 'b', 'strong', 'i', 'em', 'u', 'br', 'p', 'div', 'span', 'ul', 'ol', 'li'];
const LINK_SCHEMES = /^(https?|mailto):/i;
const LOOKS_LIKE_HTML = /<\/?[a-z][a-z0-9-]*(\s[^>]*)?\/?>/i;

const linkify = linkifyit();
const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A') opensOutside(node as HTMLAnchorElement);
});

/** A link of a description opens outside the app, as mail links do (a new tab, or the system's browser in the desktop app). */
function opensOutside(link: HTMLAnchorElement): void {
  const href = link.getAttribute('href');
  if (href === null || !LINK_SCHEMES.test(href.trim())) {
    link.removeAttribute('href');
    return;
  }
  link.setAttribute('target', '_blank');
  link.setAttribute('rel', 'noopener noreferrer');
}

/** Addresses written as text ("Notes: https://…", "ann@example.com") become links. */
function linkifyText(root: DocumentFragment): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode())
    if (!node.parentElement?.closest('a')) texts.push(node as Text);
  for (const text of texts) {
    const matches = linkify.match(text.data)?.filter((m) => LINK_SCHEMES.test(m.url));
    if (!matches?.length) continue;
    const parts = document.createDocumentFragment();
    let last = 0;
    for (const match of matches) {
      parts.append(text.data.slice(last, match.index));
      const link = document.createElement('a');
      link.href = match.url;
      link.textContent = match.text;
      opensOutside(link);
      parts.append(link);
      last = match.lastIndex;
    }
    parts.append(text.data.slice(last));
    text.replaceWith(parts);
  }
}

/**
 * An event's description as safe HTML to show: sanitised by DOMPurify (a few text tags, links to http(s) and
 * mailto only), addresses in its text made links, every link opening outside the app. Line breaks are kept by
 * the element's `white-space: pre-line`, so plain text reads as it was written.
 */
export function eventDescriptionHtml(description: string): string {
  const html = LOOKS_LIKE_HTML.test(description)
    ? description
    : description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const fragment = purifier.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR: ['href'], RETURN_DOM_FRAGMENT: true });
  linkifyText(fragment);
  const box = document.createElement('div');
  box.append(fragment);
  return box.innerHTML;
}
