import {
  type ComponentValue,
  type FunctionNode,
  isCommentNode,
  isFunctionNode,
  isSimpleBlockNode,
  isTokenNode,
  isWhitespaceNode,
  parseListOfComponentValues,
  stringify,
} from '@csstools/css-parser-algorithms';
import {
  isTokenAtKeyword,
  isTokenBadURL,
  isTokenOpenCurly,
  isTokenSemicolon,
  isTokenString,
  isTokenURL,
  tokenize,
} from '@csstools/css-tokenizer';
import { type ReferenceKind, referenceKind } from './references.ts';

/**
 * CSS from an email with every reference to something outside the message
 * taken out: url() in any spelling (escaped, uppercase, quoted or not, with
 * comments around it), image-set() and image() with bare strings, @import,
 * @font-face sources, custom properties holding them, at any depth of
 * @media / @supports / nesting. Read with a tokenizer that follows CSS Syntax
 * Level 3 (escapes decoded as the browser decodes them, so `u\72l(` is a URL
 * and `\75rl\28` is not), and written back from the tokens it kept: a
 * declaration or rule that refers to anything but data: or a #fragment goes
 * whole.
 */
export interface CleanCss {
  css: string;
  /** Declarations, rules and @imports removed because they referred to a remote address. */
  remote: number;
}

/**
 * A stylesheet (a <style> element's text) or a declaration list (a style
 * attribute): one grammar for both. CSS the parser refuses (nested deeper
 * than it reads, 512 levels) is dropped whole.
 */
export function cleanCss(css: string): CleanCss {
  // Without a "(" there is no function or url() token (an escaped "\28" is part of a name), and without "@" no @import:
  // nothing to take out (most style attributes of a newsletter), so the tokenizer is spared.
  if (!css.includes('(') && !css.includes('@')) return { css: css.replaceAll('</', '<\\/'), remote: 0 };
  const values = parse(css);
  if (!values) return { css: '', remote: 0 };
  const tally = { remote: 0 };
  const kept = cleanList(values, tally);
  // Keep the text inside <style> from ever reading as an end tag: `<\/` means `</` inside CSS strings, URLs and comments.
  return { css: stringify([kept]).replaceAll('</', '<\\/'), remote: tally.remote };
}

/**
 * What each URL in a CSS value refers to (SVG presentation attributes such
 * as fill="url(...)" are CSS values too); a value the parser refuses counts
 * as one 'other' reference, so it is dropped.
 */
export function cssValueKinds(value: string): ReferenceKind[] {
  const values = parse(value);
  if (!values) return ['other'];
  const refs: string[] = [];
  collect(values, false, refs);
  return refs.map(kindOf);
}

// Functions whose argument is a URL, and those in which a bare string is one (names unescaped, vendor prefix dropped).
const URL_FUNCTIONS = new Set(['url', 'src']);
const STRING_URL_FUNCTIONS = new Set(['image-set', 'image']);
const SUBSTITUTIONS = new Set(['var', 'env', 'attr', 'if']);
/** A reference that cannot be known before the browser substitutes it (var() inside image-set()). */
const UNKNOWN = '\u0000unknown';
/** A malformed url() the browser drops without fetching. */
const BAD_URL = '\u0000bad-url';

/** The component values of some CSS, or null when the parser refuses it (it throws past 512 levels of nesting). */
function parse(css: string): ComponentValue[] | null {
  try {
    return parseListOfComponentValues(tokenize({ css, unicodeRangesAllowed: true }));
  } catch {
    return null;
  }
}

function kindOf(ref: string): ReferenceKind {
  return ref === UNKNOWN ? 'remote' : ref === BAD_URL ? 'other' : referenceKind(ref);
}

/**
 * Splits a list into statements (up to a `;`, or up to and including a `{}`
 * block) and keeps those that refer to nothing outside the message; the
 * blocks of kept rules are cleaned the same way.
 */
function cleanList(values: ComponentValue[], tally: { remote: number }): ComponentValue[] {
  const kept: ComponentValue[] = [];
  let statement: ComponentValue[] = [];
  const finish = () => {
    if (statement.length > 0 && keep(statement, tally)) kept.push(...statement);
    statement = [];
  };
  for (const value of values) {
    statement.push(value);
    if (isTokenNode(value) && isTokenSemicolon(value.value)) finish();
    else if (isSimpleBlockNode(value) && isTokenOpenCurly(value.startToken)) {
      value.value = cleanList(value.value, tally);
      finish();
    }
  }
  finish();
  return kept;
}

function keep(statement: ComponentValue[], tally: { remote: number }): boolean {
  const first = statement.find((value) => !isWhitespaceNode(value) && !isCommentNode(value));
  const atRule = first && isTokenNode(first) && isTokenAtKeyword(first.value) ? first.value[4].value.toLowerCase() : null;
  // A rule's block was cleaned already: what decides is its prelude.
  const last = statement.at(-1);
  const prelude = last && isSimpleBlockNode(last) && isTokenOpenCurly(last.startToken) ? statement.slice(0, -1) : statement;
  const refs: string[] = [];
  collect(prelude, atRule === 'import', refs);
  const kinds = refs.map(kindOf);
  // @namespace names a namespace with a URL and fetches nothing; it has no use in an email either.
  if (atRule === 'namespace') return false;
  if (kinds.includes('remote')) tally.remote++;
  if (atRule === 'import') return false;
  return kinds.every((kind) => kind === 'inline' || kind === 'none');
}

function collect(values: ComponentValue[], stringsAreUrls: boolean, refs: string[]): void {
  for (const value of values) {
    if (isTokenNode(value)) {
      const token = value.value;
      if (isTokenURL(token)) refs.push(token[4].value);
      else if (isTokenBadURL(token)) refs.push(BAD_URL);
      else if (stringsAreUrls && isTokenString(token)) refs.push(token[4].value);
    } else if (isFunctionNode(value)) {
      collectFunction(value, stringsAreUrls, refs);
    } else if (isSimpleBlockNode(value)) {
      collect(value.value, stringsAreUrls, refs);
    }
  }
}

function collectFunction(fn: FunctionNode, stringsAreUrls: boolean, refs: string[]): void {
  const name = fn
    .getName()
    .toLowerCase()
    .replace(/^-[a-z]+-/, '');
  if (URL_FUNCTIONS.has(name)) {
    const arg = fn.value.find((value) => !isWhitespaceNode(value) && !isCommentNode(value));
    refs.push(arg && isTokenNode(arg) && isTokenString(arg.value) ? arg.value[4].value : UNKNOWN);
    return;
  }
  const urlContext = stringsAreUrls || STRING_URL_FUNCTIONS.has(name);
  if (urlContext && SUBSTITUTIONS.has(name)) refs.push(UNKNOWN);
  collect(fn.value, urlContext, refs);
}
