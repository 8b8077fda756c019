import { describe, expect, it } from 'vitest';
import { parseRfc822 } from '../../../main/mail/parseRfc822.ts';
import { loadCorpus } from '../../emulator/kit/corpus.ts';

const REPLACEMENT = '\ufffd';

/**
 * Whether the sender's own text holds U+FFFD (so a reader may show it): as
 * raw UTF-8, quoted-printable UTF-8, inside a base64 body or as an HTML
 * entity. Every other U+FFFD is a decoding failure: windows-1252, the last
 * candidate, decodes any byte, so a declared or fallback charset could have
 * avoided it.
 */
function senderWroteReplacement(raw: Buffer): boolean {
  if (raw.includes(Buffer.from([0xef, 0xbf, 0xbd]))) return true;
  const text = raw.toString('latin1');
  if (/=EF=BF=BD|&#(?:65533|x0*fffd);/i.test(text)) return true;
  for (const block of text.matchAll(/(?:^[A-Za-z0-9+/=]{8,}\r?\n)+/gm)) {
    if (Buffer.from(block[0], 'base64').includes(Buffer.from([0xef, 0xbf, 0xbd]))) return true;
  }
  return false;
}

describe('the SpamAssassin corpus reads as its senders wrote it', () => {
  it('has no U+FFFD a declared or fallback charset could have avoided, and every date between 1970 and next year', async () => {
    const corpus = loadCorpus();
    const lastYear = new Date().getUTCFullYear() + 1;
    const subjects: string[] = [];
    const bodies: string[] = [];
    const dates: string[] = [];
    for (const message of corpus) {
      const parsed = await parseRfc822(message.raw);
      const own = senderWroteReplacement(message.raw);
      if (parsed.subject.includes(REPLACEMENT) && !own) subjects.push(`${message.key}: ${parsed.subject}`);
      if ((parsed.text.includes(REPLACEMENT) || parsed.html?.includes(REPLACEMENT)) && !own) bodies.push(message.key);
      if (parsed.date !== null) {
        const year = new Date(parsed.date).getUTCFullYear();
        if (year < 1970 || year > lastYear) dates.push(`${message.key}: ${parsed.headers.get('date')} -> ${year}`);
      }
    }
    expect(corpus.length).toBe(6046);
    expect(subjects).toEqual([]);
    expect(bodies).toEqual([]);
    expect(dates).toEqual([]);
  }, 300_000);
});
