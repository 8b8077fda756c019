import { describe, expect, it } from 'vitest';
import { conversationCount } from '../../../renderer/src/mail/resultCount.ts';

describe('the count over search results', () => {
  it('says an exact total as it is', () => {
    expect(conversationCount(0, false)).toBe('0 conversations');
    expect(conversationCount(1, false)).toBe('1 conversation');
    expect(conversationCount(3, false)).toBe('3 conversations');
    expect(conversationCount(4_873, false)).toBe('4,873 conversations');
  });

  it("says the core's estimate as one, rounded to two figures", () => {
    expect(conversationCount(16_384, true)).toBe('About 16,000 conversations');
    expect(conversationCount(5_051, true)).toBe('About 5,100 conversations');
    expect(conversationCount(87, true)).toBe('About 87 conversations');
  });
});
