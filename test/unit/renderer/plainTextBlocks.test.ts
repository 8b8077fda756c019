import { describe, expect, it } from 'vitest';
import { plainTextBlocks } from '../../../renderer/src/plainTextBlocks.ts';

describe('plainTextBlocks', () => {
  it('folds the quote a reply ends with, its attribution line included', () => {
    const body = 'Sounds good.\n\nBob\n\nOn Tue, 8 Oct 2002, Ann wrote:\n> Lunch at noon?\n>\n> Ann\n';
    expect(plainTextBlocks(body)).toEqual({
      blocks: [{ kind: 'text', text: 'Sounds good.\n\nBob' }],
      trailing: [
        { kind: 'text', text: 'On Tue, 8 Oct 2002, Ann wrote:' },
        { kind: 'quote', text: '> Lunch at noon?\n>\n> Ann\n' },
      ],
    });
  });

  it('keeps quotes answered in between in place, and folds nothing when the writer has the last word', () => {
    const body = 'Ann wrote:\n> Lunch?\nYes.\n> Where?\nThe usual place.';
    expect(plainTextBlocks(body)).toEqual({
      blocks: [
        { kind: 'text', text: 'Ann wrote:' },
        { kind: 'quote', text: '> Lunch?' },
        { kind: 'text', text: 'Yes.' },
        { kind: 'quote', text: '> Where?' },
        { kind: 'text', text: 'The usual place.' },
      ],
      trailing: [],
    });
  });

  it('leaves a message that is only quote, or has none, as it is', () => {
    expect(plainTextBlocks('> forwarded\n> text')).toEqual({
      blocks: [{ kind: 'quote', text: '> forwarded\n> text' }],
      trailing: [],
    });
    expect(plainTextBlocks('Hello\r\nthere')).toEqual({ blocks: [{ kind: 'text', text: 'Hello\nthere' }], trailing: [] });
    expect(plainTextBlocks('')).toEqual({ blocks: [{ kind: 'text', text: '' }], trailing: [] });
  });
});
