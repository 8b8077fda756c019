// @vitest-environment jsdom
import {
  isTokenAtKeyword,
  isTokenCloseParen,
  isTokenFunction,
  isTokenSemicolon,
  isTokenString,
  isTokenURL,
  tokenize,
} from '@csstools/css-tokenizer';
import { describe, expect, it } from 'vitest';
import { safeEmailDocument } from '../../../../renderer/src/safeEmailHtml.ts';
import { HOSTILE_VECTORS, vectorHtml } from '../../../fixtures/hostileHtml/corpus.ts';

const ORIGINS = { https: 'https://tracker.example', http: 'http://tracker.example:8080' };
// What the frame's relative URLs resolve against: Outpost's own origin.
const APP = 'http://127.0.0.1:7766/';

/**
 * Every remote address the frame's document could fetch, read from the
 * srcdoc parsed again as the frame parses it (so markup that changes meaning
 * when parsed twice is seen as the browser sees it): URL attributes of every
 * element (links to click aside), and the URLs of all CSS in style elements
 * and attributes and in SVG presentation attributes.
 */
function fetchableAddresses(srcdoc: string): string[] {
  const doc = new DOMParser().parseFromString(srcdoc, 'text/html');
  const found: string[] = [];
  const add = (value: string) => {
    try {
      const url = new URL(value.trim(), APP);
      if (url.host !== new URL(APP).host && /^(https?|ftp|wss?):$/.test(url.protocol)) found.push(url.href);
    } catch {
      // not a URL a browser would fetch
    }
  };
  for (const element of doc.querySelectorAll('*')) {
    const tag = element.localName.toLowerCase();
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      if (name === 'style') cssAddresses(value).forEach(add);
      else if (name === 'srcset' || name === 'imagesrcset')
        for (const part of value.split(/,\s+/)) add(part.trim().split(/\s+/)[0] ?? '');
      else if ((name === 'href' || name === 'xlink:href') && tag !== 'a' && tag !== 'area') add(value);
      else if (['src', 'data', 'poster', 'background', 'codebase', 'action', 'formaction', 'ping'].includes(name)) add(value);
      else if (name === 'content' && tag === 'meta') add(value.replace(/^[^=]*=/, '').replace(/^[<'"]|[>'"]$/g, ''));
      else if (element.namespaceURI === 'http://www.w3.org/2000/svg' && value.includes('(')) cssAddresses(value).forEach(add);
    }
    if (tag === 'style') cssAddresses(element.textContent ?? '').forEach(add);
  }
  return found.sort();
}

/** url() and image-set("...") addresses and @import strings, from CSS Syntax tokens (escapes decoded). */
function cssAddresses(css: string): string[] {
  const urls: string[] = [];
  let imageSetDepth = 0;
  let depth = 0;
  let afterImport = false;
  for (const token of tokenize({ css })) {
    if (isTokenURL(token)) urls.push(token[4].value);
    if (isTokenFunction(token)) {
      depth++;
      const name = token[4].value.toLowerCase();
      if (/(^|-)image(-set)?$/.test(name) || name === 'url' || name === 'src') imageSetDepth = imageSetDepth || depth;
    }
    if (isTokenCloseParen(token)) {
      if (imageSetDepth === depth) imageSetDepth = 0;
      depth--;
    }
    if (isTokenString(token) && (imageSetDepth > 0 || afterImport)) urls.push(token[4].value);
    if (isTokenAtKeyword(token)) afterImport = token[4].value.toLowerCase() === 'import';
    if (isTokenSemicolon(token)) afterImport = false;
  }
  return urls;
}

function cspOf(srcdoc: string): string {
  const doc = new DOMParser().parseFromString(srcdoc, 'text/html');
  return doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
}

describe('the email sanitizer on a corpus of hostile messages', () => {
  for (const vector of HOSTILE_VECTORS) {
    const html = vectorHtml(vector, ORIGINS);
    const shown = (vector.shows ?? []).map((path) => `${ORIGINS.https}${path}`).sort();

    it(`${vector.name}: before "Show images" nothing remote is left, and the frame may load images from data: only`, () => {
      const document = safeEmailDocument(html, { showRemoteImages: false });
      expect(fetchableAddresses(document.srcdoc)).toEqual([]);
      expect(cspOf(document.srcdoc)).toMatch(/(^|; )img-src data:(;|$)/);
      expect(document.report).toEqual({ images: shown.length, blocked: vector.blocked ?? {} });
    });

    it(`${vector.name}: after "Show images" only its https <img> sources are left, each one allowed by the frame's policy`, () => {
      const document = safeEmailDocument(html, { showRemoteImages: true });
      expect(fetchableAddresses(document.srcdoc)).toEqual(shown);
      const imgSrc = /(?:^|; )img-src ([^;]*)/.exec(cspOf(document.srcdoc))?.[1]?.split(' ') ?? [];
      // One source per image address (CSP compares no query).
      // CSP compares paths percent-decoded: a ";" or "," in a path is written encoded in the policy.
      expect(imgSrc.map((source) => decodeURIComponent(source)).sort()).toEqual(
        ['data:', ...new Set(shown.map((url) => decodeURIComponent(url.replace(/\?.*$/, ''))))].sort(),
      );
      expect(document.report).toEqual({ images: shown.length, blocked: vector.blocked ?? {} });
    });
  }
});
