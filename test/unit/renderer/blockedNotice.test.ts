import { describe, expect, it } from 'vitest';
import { blockedNotice } from '../../../renderer/src/emailHtml/blockedNotice.ts';

describe('the notice over a message with remote content', () => {
  it('says nothing when the message refers to nothing remote', () => {
    expect(blockedNotice({ images: 0, blocked: {} }, false)).toBeNull();
    expect(blockedNotice({ images: 0, blocked: {} }, true)).toBeNull();
  });

  it('before "Show images" counts everything remote, every image as an image', () => {
    const report = { images: 2, blocked: { otherImage: 1, style: 2, svg: 1 } };
    expect(blockedNotice(report, false)).toBe(
      'Remote content blocked to protect your privacy: 3 images, 2 remote styles and 1 SVG reference.',
    );
    expect(blockedNotice({ images: 1, blocked: {} }, false)).toBe('Remote content blocked to protect your privacy: 1 image.');
  });

  it('after "Show images" says how many images it shows and, kind by kind, what it still blocked', () => {
    expect(blockedNotice({ images: 3, blocked: { style: 2, svg: 1 } }, true)).toBe(
      '3 images shown; 2 remote styles and 1 SVG reference blocked.',
    );
    expect(
      blockedNotice({ images: 1, blocked: { otherImage: 1, background: 2, srcset: 1, media: 1, linked: 1, embedded: 1 } }, true),
    ).toBe(
      '1 image shown; 1 other image, 2 background images, 1 alternative image source, 1 video or audio file, 1 linked resource and 1 embedded page or object blocked.',
    );
    expect(blockedNotice({ images: 2, blocked: {} }, true)).toBe('2 images shown.');
    expect(blockedNotice({ images: 0, blocked: { style: 1 } }, true)).toBe('1 remote style blocked to protect your privacy.');
  });
});
