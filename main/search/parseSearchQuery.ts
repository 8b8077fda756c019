import { OutpostError } from '../core/outpostError.ts';
/**
 * Gmail-style search queries: words, "quoted phrases", field operators
 * (from: to: cc: bcc: subject: label: in: has: is: before: after:
 * older_than: newer_than: filename:), negation with a leading "-", and OR
 * between terms. subject:(two words) groups words under one operator.
 */

export type TextField = 'any' | 'subject' | 'from' | 'to' | 'cc' | 'bcc';

export type SearchTerm =
  | { kind: 'text'; field: TextField; value: string; phrase: boolean }
  | { kind: 'label'; value: string }
  | { kind: 'has'; value: 'attachment' }
  | { kind: 'is'; value: 'unread' | 'read' | 'starred' | 'unstarred' | 'important' }
  | { kind: 'date'; op: 'before' | 'after'; ms: number }
  | { kind: 'filename'; value: string };

/** Terms of a clause are alternatives (OR); a query matches when every clause does. */
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
const DAY_MS = 24 * 3600 * 1000;
const MAX_QUERY_LENGTH = 1000;
const MAX_TERMS = 64;

interface Token {
  negated: boolean;
  key: string | null;
  value: string;
  quoted: boolean;
  grouped: boolean;
}

export function parseSearchQuery(input: string, now = Date.now()): SearchQuery {
  if (input.length > MAX_QUERY_LENGTH) throw new SearchSyntaxError(`query is longer than ${MAX_QUERY_LENGTH} characters`);
  const tokens = tokenize(input);
  if (tokens.length > MAX_TERMS) throw new SearchSyntaxError(`query has more than ${MAX_TERMS} terms`);
  const clauses: SearchClause[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (isOr(token)) continue; // a stray OR (leading, trailing, doubled) is ignored, as Gmail does
    const clause: SearchClause = { negated: token.negated, anyOf: toTerms(token, now) };
    // "a OR b OR c" folds into one clause of alternatives.
    while (tokens[i + 1] && isOr(tokens[i + 1] as Token) && tokens[i + 2] && !isOr(tokens[i + 2] as Token)) {
      clause.anyOf.push(...toTerms(tokens[i + 2] as Token, now));
      i += 2;
    }
    if (clause.anyOf.length > 0) clauses.push(clause);
  }
  return { clauses };
}

function isOr(token: Token): boolean {
  return !token.quoted && !token.negated && token.key === null && (token.value === 'OR' || token.value === '|');
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
    let key: string | null = null;
    const keyMatch = /^([a-z_]+):/i.exec(input.slice(i));
    if (keyMatch?.[1] && keyMatch[0].length < input.length - i) {
      key = keyMatch[1].toLowerCase();
      i += keyMatch[0].length;
    }
    let value = '';
    let quoted = false;
    let grouped = false;
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      value = input.slice(i + 1, end === -1 ? input.length : end);
      i = end === -1 ? input.length : end + 1;
      quoted = true;
    } else if (input[i] === '(' && key !== null) {
      const end = input.indexOf(')', i + 1);
      value = input.slice(i + 1, end === -1 ? input.length : end);
      i = end === -1 ? input.length : end + 1;
      grouped = true;
    } else {
      const start = i;
      while (i < input.length && !/\s/.test(input[i] as string)) i++;
      value = input.slice(start, i);
    }
    if (value.trim() !== '' || key !== null) tokens.push({ negated, key, value: value.trim(), quoted, grouped });
  }
  return tokens;
}

function toTerms(token: Token, now: number): SearchTerm[] {
  const { key, value } = token;
  if (key === null) return textTerms('any', value, token.quoted);
  if (key in TEXT_FIELDS) {
    if (!value) throw new SearchSyntaxError(`${key}: needs a value`);
    return textTerms(TEXT_FIELDS[key] as TextField, value, token.quoted || token.grouped);
  }
  switch (key) {
    case 'label':
    case 'in':
      if (!value) throw new SearchSyntaxError(`${key}: needs a label name`);
      return [{ kind: 'label', value: value.toLowerCase() }];
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
    case 'after':
      return [{ kind: 'date', op: key, ms: parseDay(key, value) }];
    case 'older_than':
      return [{ kind: 'date', op: 'before', ms: now - parseAge(key, value) }];
    case 'newer_than':
      return [{ kind: 'date', op: 'after', ms: now - parseAge(key, value) }];
    case 'filename':
      if (!value) throw new SearchSyntaxError('filename: needs a value');
      return [{ kind: 'filename', value: value.toLowerCase() }];
    default:
      // Not an operator we know: search the words literally, as Gmail does with "foo:bar".
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
