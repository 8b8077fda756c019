import type { SearchClause, SearchQuery } from './parseSearchQuery.ts';

export const HIGHLIGHT_START = '\u0002';
export const HIGHLIGHT_END = '\u0003';

const BEFORE_CHARS = 60;
const AFTER_CHARS = 160;

/**
 * The words of a query worth marking in results: every word of its
 * non-negated text terms. Each becomes a case-insensitive word-start pattern
 * over a rough stem ("drivers" marks "driver", "driving"), since the
 * full-text index matched with the Porter stemmer.
 */
export function highlightPattern(query: SearchQuery): RegExp | null {
  const stems = new Set<string>();
  const visit = (clauses: SearchClause[]) => {
    for (const clause of clauses) {
      if (clause.negated) continue;
      for (const term of clause.anyOf) {
        if (term.kind === 'group') visit(term.clauses);
        const value = term.kind === 'text' ? term.value : term.kind === 'near' ? `${term.left} ${term.right}` : '';
        for (const word of value.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word) stems.add(roughStem(word));
      }
    }
  };
  visit(query.clauses);
  if (stems.size === 0) return null;
  const alternatives = [...stems].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})[\\p{L}\\p{N}]*`, 'giu');
}

/**
 * A keyword-in-context fragment: around the first match in the first text
 * that has one (body, then subject, sender, recipients), matches wrapped in
 * HIGHLIGHT_START/END and cut ends marked with "…". Done here rather than
 * with FTS5's snippet(), which re-tokenizes every long body of the page
 * (most of a search's time for common words over 100,000 messages).
 */
export function highlightFragment(texts: readonly string[], pattern: RegExp): string | null {
  for (const text of texts) {
    pattern.lastIndex = 0;
    const first = pattern.exec(text);
    if (!first) continue;
    let start = Math.max(0, first.index - BEFORE_CHARS);
    let end = Math.min(text.length, first.index + first[0].length + AFTER_CHARS);
    // Cut at word boundaries so no word is shown half.
    if (start > 0) start = nextSpace(text, start);
    if (end < text.length) end = lastSpace(text, end, first.index + first[0].length);
    const fragment = text.slice(start, end).replace(/\s+/g, ' ');
    pattern.lastIndex = 0;
    const marked = fragment.replace(pattern, (word) => `${HIGHLIGHT_START}${word}${HIGHLIGHT_END}`);
    return `${start > 0 ? '…' : ''}${marked.trim()}${end < text.length ? '…' : ''}`;
  }
  return null;
}

/** Every match in a short text (a subject) wrapped in HIGHLIGHT_START/END. */
export function markMatches(text: string, pattern: RegExp): string {
  pattern.lastIndex = 0;
  return text.replace(pattern, (word) => `${HIGHLIGHT_START}${word}${HIGHLIGHT_END}`);
}

function roughStem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of ['ing', 'ed', 'es', 's']) if (word.endsWith(suffix)) return word.slice(0, -suffix.length);
  return word;
}

function nextSpace(text: string, from: number): number {
  const at = text.slice(from, from + 20).search(/\s/);
  return at < 0 ? from : from + at + 1;
}

function lastSpace(text: string, to: number, notBefore: number): number {
  const at = text.lastIndexOf(' ', to);
  return at > notBefore ? at : to;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
