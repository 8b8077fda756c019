import { describe, expect, it } from 'vitest';
import { parseSearchQuery, SearchSyntaxError } from '../../../main/search/parseSearchQuery.ts';

const NOW = new Date(2026, 5, 15).getTime();
const parse = (q: string) => parseSearchQuery(q, NOW).clauses;

describe('parseSearchQuery', () => {
  it('reads words, phrases and field operators', () => {
    expect(parse('budget "next quarter" from:ann@example.com subject:(weekly report)')).toEqual([
      { negated: false, anyOf: [{ kind: 'text', field: 'any', value: 'budget', phrase: false }] },
      { negated: false, anyOf: [{ kind: 'text', field: 'any', value: 'next quarter', phrase: true }] },
      { negated: false, anyOf: [{ kind: 'text', field: 'from', value: 'ann@example.com', phrase: false }] },
      { negated: false, anyOf: [{ kind: 'text', field: 'subject', value: 'weekly report', phrase: true }] },
    ]);
  });

  it('reads flags, labels, attachments and negation', () => {
    expect(parse('is:unread -label:Spam has:attachment in:inbox')).toEqual([
      { negated: false, anyOf: [{ kind: 'is', value: 'unread' }] },
      { negated: true, anyOf: [{ kind: 'label', value: 'spam' }] },
      { negated: false, anyOf: [{ kind: 'has', value: 'attachment' }] },
      { negated: false, anyOf: [{ kind: 'label', value: 'inbox' }] },
    ]);
  });

  it('folds OR chains into one clause and ignores stray ORs', () => {
    const clauses = parse('OR from:a OR from:b OR');
    expect(clauses).toHaveLength(1);
    expect(clauses[0]?.anyOf.map((t) => (t.kind === 'text' ? t.value : ''))).toEqual(['a', 'b']);
  });

  it('reads dates as local midnight and ages relative to now', () => {
    const [before, after, older] = parse('before:2024/03/31 after:2024-01-02 older_than:7d');
    expect(before?.anyOf[0]).toEqual({ kind: 'date', op: 'before', ms: new Date(2024, 2, 31).getTime() });
    expect(after?.anyOf[0]).toEqual({ kind: 'date', op: 'after', ms: new Date(2024, 0, 2).getTime() });
    expect(older?.anyOf[0]).toEqual({ kind: 'date', op: 'before', ms: NOW - 7 * 24 * 3600 * 1000 });
  });

  it('treats unknown operators as words', () => {
    expect(parse('http://example.com')[0]?.anyOf[0]).toMatchObject({ kind: 'text', value: 'http://example.com' });
  });

  it('reads an operator still being typed ("from:") as a word, not an error', () => {
    expect(parse('from:')[0]?.anyOf[0]).toMatchObject({ kind: 'text', value: 'from:' });
  });

  it.each(['is:purple', 'has:drive', 'before:yesterday', 'older_than:7w', 'label:""', 'x'.repeat(1001)])(
    'rejects %s with a clear validation error',
    (q) => {
      expect(() => parseSearchQuery(q, NOW)).toThrow(SearchSyntaxError);
    },
  );

  it('tolerates unbalanced quotes and parentheses', () => {
    expect(parse('"open phrase')[0]?.anyOf[0]).toMatchObject({ value: 'open phrase', phrase: true });
    expect(parse('subject:(open group')[0]?.anyOf[0]).toMatchObject({ field: 'subject', value: 'open group' });
  });
});
