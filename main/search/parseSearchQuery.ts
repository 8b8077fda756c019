import { OutpostError } from '../core/outpostError.ts';
import { listIdentity } from '../mail/listAndDeliveryHeaders.ts';
/**
 * Gmail-style search queries: words, "quoted phrases", field operators
 * (from: to: cc: bcc: subject: label: in: has: is: before: after: older:
 * newer: older_than: newer_than: filename: larger: smaller: size: category:
 * rfc822msgid: deliveredto: list:), `me` for the account's own address,
 * negation with a leading "-", OR between terms, ( ) groups (all of),
 * { } groups (any of), `a AROUND n b`. subject:(two words) groups words under
 * one operator. A word with a colon that is not an operator ("foo:bar",
 * "http://x") is searched as words, as Gmail does; an operator's value Outpost
 * cannot search is a validation error that names it, never an empty result.
 */

export type TextField = 'any' | 'subject' | 'from' | 'to' | 'cc' | 'bcc';
export type AddressField = 'from' | 'to' | 'cc' | 'bcc';

export type SearchTerm =
  | { kind: 'text'; field: TextField; value: string; phrase: boolean }
  | { kind: 'near'; left: string; right: string; distance: number }
  | { kind: 'label'; value: string }
  | { kind: 'anywhere' }
  | { kind: 'has'; value: 'attachment' }
  | { kind: 'is'; value: 'unread' | 'read' | 'starred' | 'unstarred' | 'important' }
  | { kind: 'date'; op: 'before' | 'after'; ms: number }
  | { kind: 'filename'; value: string }
  | { kind: 'me'; field: AddressField }
  | { kind: 'deliveredto'; value: string }
  /** A mailing list as a dotted name (listIdentity): List-Id or List-Post, that list or the lists of that domain. */
  | { kind: 'list'; value: string }
  | { kind: 'size'; op: 'larger' | 'smaller'; bytes: number }
  | { kind: 'category'; value: string }
  /** Outlook's Focused Inbox verdict (category:focused, category:other). */
  | { kind: 'classification'; value: 'focused' | 'other' }
  | { kind: 'msgid'; value: string }
  | { kind: 'group'; clauses: SearchClause[] };

/** Terms of a clause are alternatives (OR); a query (or group) matches when every clause does. */
export interface SearchClause {
  negated: boolean;
  anyOf: SearchTerm[];
}

export interface SearchQuery {
  clauses: SearchClause[];
}

/** A query that cannot be run: a validation error about `q`. */
export class SearchSyntaxError extends OutpostError {
  constructor(message: string) {
    super('validation_error', message, { field: 'q' });
  }
}

const TEXT_FIELDS: Record<string, TextField> = { from: 'from', to: 'to', cc: 'cc', bcc: 'bcc', subject: 'subject' };
const IS_VALUES = new Set(['unread', 'read', 'starred', 'unstarred', 'important']);
/** Gmail's tabs, as the index names their labels (Gmail's CATEGORY_PERSONAL is the Primary tab). */
const CATEGORIES: Record<string, string> = {
  primary: 'personal',
  social: 'social',
  promotions: 'promotions',
  updates: 'updates',
  forums: 'forums',
};
/** Gmail's operators: a key among these is an operator even when Outpost refuses its value. */
const OPERATORS = new Set([
  ...Object.keys(TEXT_FIELDS),
  'label',
  'in',
  'has',
  'is',
  'before',
  'after',
  'older',
  'newer',
  'older_than',
  'newer_than',
  'filename',
  'larger',
  'smaller',
  'size',
  'category',
  'rfc822msgid',
  'deliveredto',
  'list',
]);
const DAY_MS = 24 * 3600 * 1000;
const MAX_QUERY_LENGTH = 1000;
const MAX_TERMS = 64;
const MAX_DEPTH = 8;

type Token =
  | { type: 'open' | 'close' | 'openAny' | 'closeAny'; negated: boolean }
  | { type: 'item'; negated: boolean; key: string | null; value: string; quoted: boolean; grouped: boolean; anyOf: boolean };

export function parseSearchQuery(input: string, now = Date.now()): SearchQuery {
  if (input.length > MAX_QUERY_LENGTH) throw new SearchSyntaxError(`query is longer than ${MAX_QUERY_LENGTH} characters`);
  const tokens = tokenize(input);
  if (tokens.filter((t) => t.type === 'item').length > MAX_TERMS)
    throw new SearchSyntaxError(`query has more than ${MAX_TERMS} terms`);
  const parser = new Parser(tokens, now);
  const clauses = parser.clauses(null, 0);
  return { clauses };
}

type ItemToken = Extract<Token, { type: 'item' }>;

class Parser {
  private at = 0;
  private readonly tokens: Token[];
  private readonly now: number;
  constructor(tokens: Token[], now: number) {
    this.tokens = tokens;
    this.now = now;
  }

  /** Clauses up to `end` (a closing bracket) or the end of input; `a OR b` folds into one clause. */
  clauses(end: 'close' | 'closeAny' | null, depth: number): SearchClause[] {
    if (depth > MAX_DEPTH) throw new SearchSyntaxError(`query nests groups more than ${MAX_DEPTH} deep`);
    const clauses: SearchClause[] = [];
    while (this.at < this.tokens.length) {
      const token = this.tokens[this.at] as Token;
      if (token.type === 'close' || token.type === 'closeAny') {
        this.at++;
        if (token.type === end) break;
        continue; // a stray closing bracket is ignored
      }
      if (isOr(token)) {
        this.at++; // a stray OR (leading, trailing, doubled) is ignored, as Gmail does
        continue;
      }
      const clause = this.item(depth);
      while (isOr(this.tokens[this.at]) && this.tokens[this.at + 1] && !isOr(this.tokens[this.at + 1])) {
        const next = this.tokens[this.at + 1] as Token;
        if (next.type === 'close' || next.type === 'closeAny') break;
        this.at++;
        const alternative = this.item(depth);
        if (alternative) clause?.anyOf.push(...(alternative.negated ? [group([alternative])] : alternative.anyOf));
      }
      if (clause && clause.anyOf.length > 0) clauses.push(clause);
      this.aroundAfter(clauses);
    }
    return clauses;
  }

  /** `a AROUND n b`: the last clause and the next word become one proximity term. */
  private aroundAfter(clauses: SearchClause[]): void {
    const around = this.tokens[this.at];
    const distance = this.tokens[this.at + 1];
    const right = this.tokens[this.at + 2];
    const last = clauses.at(-1);
    const left = last?.anyOf.length === 1 && !last.negated ? last.anyOf[0] : undefined;
    if (
      around?.type !== 'item' ||
      around.key !== null ||
      around.value !== 'AROUND' ||
      distance?.type !== 'item' ||
      !/^\d{1,3}$/.test(distance.value) ||
      right?.type !== 'item' ||
      right.key !== null ||
      right.negated ||
      left?.kind !== 'text' ||
      left.field !== 'any'
    )
      return;
    this.at += 3;
    (last as SearchClause).anyOf = [{ kind: 'near', left: left.value, right: right.value, distance: Number(distance.value) }];
  }

  private item(depth: number): SearchClause | null {
    const token = this.tokens[this.at++] as Token;
    if (token.type === 'open') return { negated: token.negated, anyOf: [group(this.clauses('close', depth + 1))] };
    if (token.type === 'openAny') {
      const inner = this.clauses('closeAny', depth + 1);
      return {
        negated: token.negated,
        anyOf: inner.map((c) => (!c.negated && c.anyOf.length === 1 ? (c.anyOf[0] as SearchTerm) : group([c]))),
      };
    }
    if (token.type !== 'item') return null;
    return { negated: token.negated, anyOf: toTerms(token, this.now) };
  }
}

function group(clauses: SearchClause[]): SearchTerm {
  return { kind: 'group', clauses };
}

function isOr(token: Token | undefined): boolean {
  return (
    token?.type === 'item' &&
    !token.quoted &&
    !token.negated &&
    token.key === null &&
    (token.value === 'OR' || token.value === '|')
  );
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i] as string)) i++;
    if (i >= input.length) break;
    let negated = false;
    if (input[i] === '-' && i + 1 < input.length && !/\s/.test(input[i + 1] as string)) {
      negated = true;
      i++;
    }
    const bracket = input[i] as string;
    if ('(){}'.includes(bracket)) {
      const type = ({ '(': 'open', ')': 'close', '{': 'openAny', '}': 'closeAny' } as const)[bracket as '('];
      tokens.push({ type, negated });
      i++;
      continue;
    }
    let key: string | null = null;
    const keyMatch = /^([a-z_0-9]+):/i.exec(input.slice(i));
    if (keyMatch?.[1] && keyMatch[0].length < input.length - i && OPERATORS.has(keyMatch[1].toLowerCase())) {
      key = keyMatch[1].toLowerCase();
      i += keyMatch[0].length;
    }
    let value = '';
    let quoted = false;
    let grouped = false;
    let anyOf = false;
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      value = input.slice(i + 1, end === -1 ? input.length : end);
      i = end === -1 ? input.length : end + 1;
      quoted = true;
    } else if ((input[i] === '(' || input[i] === '{') && key !== null) {
      const close = input[i] === '(' ? ')' : '}';
      anyOf = input[i] === '{';
      const end = input.indexOf(close, i + 1);
      value = input.slice(i + 1, end === -1 ? input.length : end);
      i = end === -1 ? input.length : end + 1;
      grouped = true;
    } else {
      const start = i;
      while (i < input.length && !/[\s(){}]/.test(input[i] as string)) i++;
      // A closing bracket glued to a word ends the word; one inside it ("f(x)") is part of it.
      if (i < input.length && /[({]/.test(input[i] as string)) {
        while (i < input.length && !/\s/.test(input[i] as string)) i++;
      }
      value = input.slice(start, i);
    }
    if (value.trim() !== '' || key !== null)
      tokens.push({ type: 'item', negated, key, value: value.trim(), quoted, grouped, anyOf });
  }
  return tokens;
}

function toTerms(token: ItemToken, now: number): SearchTerm[] {
  const { key } = token;
  if (key === null) return textTerms('any', token.value, token.quoted);
  if (token.anyOf) {
    // from:{a b}: the operator applied to each value, any of them.
    const values = token.value.split(/\s+/).filter(Boolean);
    if (values.length === 0) throw new SearchSyntaxError(`${key}: needs a value`);
    return values.flatMap((value) => toTerms({ ...token, value, grouped: false, anyOf: false }, now));
  }
  const value = token.value;
  if (key in TEXT_FIELDS) {
    if (!value) throw new SearchSyntaxError(`${key}: needs a value`);
    if (value.toLowerCase() === 'me' && !token.quoted && key !== 'subject') return [{ kind: 'me', field: key as AddressField }];
    return textTerms(TEXT_FIELDS[key] as TextField, value, token.quoted || token.grouped);
  }
  switch (key) {
    case 'label':
    case 'in':
      if (!value) throw new SearchSyntaxError(`${key}: needs a label name`);
      if (key === 'in' && value.toLowerCase() === 'anywhere') return [{ kind: 'anywhere' }];
      // Gmail's "Bin" is its Trash outside the US.
      return [{ kind: 'label', value: value.toLowerCase() === 'bin' ? 'trash' : value.toLowerCase() }];
    case 'has':
      if (value.toLowerCase() !== 'attachment') throw new SearchSyntaxError(`has:${value} is not supported (use has:attachment)`);
      return [{ kind: 'has', value: 'attachment' }];
    case 'is': {
      const v = value.toLowerCase();
      if (!IS_VALUES.has(v))
        throw new SearchSyntaxError(`is:${value} is not supported (use one of ${[...IS_VALUES].join(', ')})`);
      return [{ kind: 'is', value: v as 'unread' }];
    }
    case 'before':
    case 'older':
      return [{ kind: 'date', op: 'before', ms: parseDay(key, value) }];
    case 'after':
    case 'newer':
      return [{ kind: 'date', op: 'after', ms: parseDay(key, value) }];
    case 'older_than':
      return [{ kind: 'date', op: 'before', ms: now - parseAge(key, value) }];
    case 'newer_than':
      return [{ kind: 'date', op: 'after', ms: now - parseAge(key, value) }];
    case 'filename':
      if (!value) throw new SearchSyntaxError('filename: needs a value');
      return [{ kind: 'filename', value: value.toLowerCase() }];
    case 'larger':
    case 'size':
      return [{ kind: 'size', op: 'larger', bytes: parseSize(key, value) }];
    case 'smaller':
      return [{ kind: 'size', op: 'smaller', bytes: parseSize(key, value) }];
    case 'category': {
      const name = CATEGORIES[value.toLowerCase()];
      if (name) return [{ kind: 'category', value: name }];
      const classification = value.toLowerCase();
      if (classification === 'focused' || classification === 'other') return [{ kind: 'classification', value: classification }];
      throw new SearchSyntaxError(
        `category:${value} is not supported (use one of ${Object.keys(CATEGORIES).join(', ')}, or Outlook's focused, other)`,
      );
    }
    case 'rfc822msgid': {
      const id = value.replace(/^<|>$/g, '').trim();
      if (!id) throw new SearchSyntaxError('rfc822msgid: needs a Message-ID');
      return [{ kind: 'msgid', value: id }];
    }
    case 'deliveredto':
      if (!value) throw new SearchSyntaxError('deliveredto: needs an address (or me)');
      return [{ kind: 'deliveredto', value: value.toLowerCase() }];
    case 'list': {
      const list = listIdentity(value);
      if (!list) throw new SearchSyntaxError('list: needs a list address or name (list:info@example.com, list:example.com)');
      return [{ kind: 'list', value: list }];
    }
    default:
      return textTerms('any', `${key}:${value}`, token.quoted);
  }
}

function textTerms(field: TextField, value: string, phrase: boolean): SearchTerm[] {
  if (phrase) return value ? [{ kind: 'text', field, value, phrase: true }] : [];
  return [{ kind: 'text', field, value, phrase: false }];
}

/** before:/after: take YYYY/MM/DD or YYYY-MM-DD (local midnight, like Gmail) or a Unix timestamp in seconds. */
function parseDay(key: string, value: string): number {
  if (/^\d{9,11}$/.test(value)) return Number(value) * 1000;
  const match = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  if (!match) throw new SearchSyntaxError(`${key}: takes a date like 2024/03/31, not "${value}"`);
  const ms = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
  if (Number.isNaN(ms)) throw new SearchSyntaxError(`${key}: "${value}" is not a date`);
  return ms;
}

/** older_than:/newer_than: take a number and d (days), m (months) or y (years). */
function parseAge(key: string, value: string): number {
  const match = /^(\d{1,5})([dmy])$/.exec(value.toLowerCase());
  if (!match) throw new SearchSyntaxError(`${key}: takes an age like 7d, 3m or 1y, not "${value}"`);
  const n = Number(match[1]);
  return n * DAY_MS * (match[2] === 'd' ? 1 : match[2] === 'm' ? 30 : 365);
}

/** larger:/smaller:/size: take bytes, or a number with K or M (larger:10M), as Gmail does (binary units). */
function parseSize(key: string, value: string): number {
  const match = /^(\d{1,9}(?:\.\d{1,3})?)\s*([km]?)b?$/i.exec(value);
  if (!match) throw new SearchSyntaxError(`${key}: takes a size like 500K or 2M, not "${value}"`);
  const unit = { '': 1, k: 1024, m: 1024 * 1024 }[(match[2] as string).toLowerCase() as ''];
  return Math.round(Number(match[1]) * unit);
}
