import { describe, expect, it } from 'vitest';
import {
  HIGHLIGHT_END as E,
  highlightFragment,
  highlightPattern,
  HIGHLIGHT_START as S,
} from '../../../main/search/highlightMatches.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';

const fragment = (q: string, ...texts: string[]) => {
  const pattern = highlightPattern(parseSearchQuery(q));
  return pattern ? highlightFragment(texts, pattern) : null;
};

describe('highlightMatches', () => {
  it('marks every word of the query, stem-insensitively, at word starts only', () => {
    expect(fragment('drivers', 'The driver and two more drivers; screwdriver not.')).toBe(
      `The ${S}driver${E} and two more ${S}drivers${E}; screwdriver not.`,
    );
  });

  it('cuts a long text around the first match, on word boundaries, with ellipses', () => {
    const text = `${'lorem ipsum '.repeat(30)}the kernel panicked ${'dolor sit '.repeat(40)}`;
    const result = fragment('kernel', text) ?? '';
    expect(result.startsWith('…')).toBe(true);
    expect(result.endsWith('…')).toBe(true);
    expect(result).toContain(`${S}kernel${E} panicked`);
    expect(result.length).toBeLessThan(260);
    expect(result).not.toMatch(/…\S*m ipsum/); // no half word after the cut
  });

  it('falls through to the next text (subject, sender) and ignores negated words', () => {
    expect(fragment('invoice -spam', 'nothing here', 'Invoice 42')).toBe(`${S}Invoice${E} 42`);
    expect(fragment('-spam', 'spam spam')).toBeNull();
    expect(fragment('"red hat" linux', 'Running Red Hat Linux')).toBe(`Running ${S}Red${E} ${S}Hat${E} ${S}Linux${E}`);
  });

  it('treats regular-expression characters in the query as text', () => {
    expect(fragment('c++ (beta)', 'Learning c++ in beta')).toBe(`Learning ${S}c${E}++ in ${S}beta${E}`);
  });
});
