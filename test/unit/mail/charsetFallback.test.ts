import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../main/mail/charsetDecoding.ts';
import { parseRfc822 } from '../../../main/mail/parseRfc822.ts';

/** A message from header and body pieces, strings as ASCII and byte arrays as they are (raw 8-bit). */
function message(...pieces: (string | Uint8Array)[]): Uint8Array {
  return Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece)));
}
const latin1 = (text: string) => Buffer.from(text, 'latin1');
const eucKr = Buffer.from([0xbe, 0xc8, 0xb3, 0xe7]); // 안녕
const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('parseRfc822: raw 8-bit text in the charset the sender declared, else a fallback', () => {
  it('reads a raw latin-1 Subject and body with the declared charset', async () => {
    const parsed = await parseRfc822(
      message(
        'Subject: Sexabenteuer gef',
        latin1('\u00e4llig? \u00a35'),
        '\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nSch',
        latin1('\u00f6ne Gr\u00fc\u00dfe'),
        '\r\n',
      ),
    );
    expect(parsed.subject).toBe('Sexabenteuer gef\u00e4llig? \u00a35');
    expect(parsed.text.trim()).toBe('Sch\u00f6ne Gr\u00fc\u00dfe');
  });

  it('reads raw EUC-KR in the Subject and body with the declared charset (an alias of it too)', async () => {
    for (const charset of ['euc-kr', 'ks_c_5601-1987', 'x-euc-kr']) {
      const parsed = await parseRfc822(
        message('Subject: [', eucKr, ']\r\nContent-Type: text/plain; charset="', charset, '"\r\n\r\n', eucKr, '\r\n'),
      );
      expect(parsed.subject).toBe('[\uc548\ub155]');
      expect(parsed.text.trim()).toBe('\uc548\ub155');
    }
  });

  it("reads a multipart message's raw Subject with the charset its text part declares", async () => {
    const parsed = await parseRfc822(
      message(
        'Subject: ',
        eucKr,
        '\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n--b\r\n',
        'Content-Type: text/plain; charset=euc-kr\r\n\r\n',
        eucKr,
        '\r\n--b--\r\n',
      ),
    );
    expect(parsed.subject).toBe('\uc548\ub155');
    expect(parsed.text.trim()).toBe('\uc548\ub155');
  });

  it('falls back to windows-1252 when no charset is declared, or the declared one is unknown or bogus', async () => {
    for (const contentType of ['', 'Content-Type: text/plain\r\n', 'Content-Type: text/plain; charset=default\r\n']) {
      const parsed = await parseRfc822(
        message('Subject: Save ', latin1('\u00a35'), '\r\n', contentType, '\r\nPrice: ', latin1('\u00a35 \u0080'), '\r\n'),
      );
      expect(parsed.subject).toBe('Save \u00a35');
      expect(parsed.text.trim()).toBe('Price: \u00a35 \u20ac');
    }
  });

  it('reads an HTML part that declares its charset only in its own <meta> with that charset', async () => {
    const parsed = await parseRfc822(
      message(
        'Content-Type: text/html\r\n\r\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">',
        '</head><body>',
        eucKr,
        '</body></html>\r\n',
      ),
    );
    expect(parsed.html).toContain('<body>\uc548\ub155</body>');
  });

  it("falls back to the message's charset when the part's declared one does not decode the bytes", async () => {
    const parsed = await parseRfc822(
      message(
        'Content-Type: multipart/mixed; charset=euc-kr; boundary="b"\r\n\r\n--b\r\n',
        'Content-Type: text/plain; charset=us-ascii\r\n\r\n',
        eucKr,
        '\r\n--b--\r\n',
      ),
    );
    expect(parsed.text.trim()).toBe('\uc548\ub155');
  });

  it('keeps UTF-8 lines of a UTF-8 body with a stray latin-1 byte, and reads that line in windows-1252', async () => {
    const parsed = await parseRfc822(
      message(
        'Content-Type: text/plain; charset=utf-8\r\n\r\n',
        utf8('Gr\u00fc\u00dfe \u2014 \u65e5\u672c\r\n'),
        latin1('caf\u00e9\r\n'),
      ),
    );
    expect(parsed.text).toBe('Gr\u00fc\u00dfe \u2014 \u65e5\u672c\ncaf\u00e9\n');
  });

  it('reads raw UTF-8 headers (RFC 6532) as UTF-8 whatever the body declares', async () => {
    const parsed = await parseRfc822(
      message('Subject: ', utf8('\u65e5\u672c\u8a9e'), '\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nx\r\n'),
    );
    expect(parsed.subject).toBe('\u65e5\u672c\u8a9e');
  });

  it('reads an ISO-2022-JP body and keeps a U+FFFD the sender really wrote', async () => {
    const jis = Buffer.from([0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x1b, 0x28, 0x42]); // 日本
    const iso2022 = await parseRfc822(message('Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n', jis, '\r\n'));
    expect(iso2022.text.trim()).toBe('\u65e5\u672c');
    const literal = await parseRfc822(
      message('Subject: ', utf8('a\ufffdb'), '\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n', utf8('c\ufffdd')),
    );
    expect(literal.subject).toBe('a\ufffdb');
    expect(literal.text.trim()).toBe('c\ufffdd');
  });
});

describe('decodeText', () => {
  it('takes the first candidate that decodes the bytes, skips unknown labels, ends with windows-1252', () => {
    expect(decodeText(eucKr, ['utf-8', 'no-such-charset', 'euc-kr'])).toBe('\uc548\ub155');
    expect(decodeText(latin1('\u00e9'), [null, undefined, 'bogus'])).toBe('\u00e9');
    expect(decodeText(latin1('\u00e9'), ['us-ascii'])).toBe('\u00e9');
    expect(decodeText(eucKr, ['iso-2022-kr', 'euc-kr'])).toBe('\uc548\ub155');
    expect(decodeText(latin1('\u00e9'), ['constructor', '__proto__', 'x-constructor'])).toBe('\u00e9');
  });
});

describe('parseRfc822: encoded words postal-mime could not read', () => {
  it('reads a Big5 Q word whose "_" is the byte 0x5F, and a UTF-8 character split across two B words', async () => {
    const big5 = await parseRfc822(
      'Subject: =?big5?Q?re:=A7=DA=AA=BE=B9D=A7A=BB=DD=ADn=A7=F3=A6h=BE=F7=B7|,=A4@=B0_=A8=D3=A7a!?=\r\n\r\nx\r\n',
    );
    expect(big5.subject).toBe('re:\u6211\u77e5\u9053\u4f60\u9700\u8981\u66f4\u591a\u6a5f\u6703,\u4e00\u8d77\u4f86\u5427!');
    const [first, second] = [Buffer.from([0xe6, 0x97]), Buffer.from([0xa5, 0xe6, 0x9c, 0xac])].map((b) => b.toString('base64'));
    const split = await parseRfc822(`Subject: =?utf-8?B?${first}?= =?utf-8?B?${second}?= ok\r\n\r\nx\r\n`);
    expect(split.subject).toBe('\u65e5\u672c ok');
  });

  it('falls back to windows-1252 for a word whose bytes its charset cannot decode', async () => {
    const parsed = await parseRfc822('Subject: =?utf-8?Q?caf=E9?= au lait\r\n\r\nx\r\n');
    expect(parsed.subject).toBe('caf\u00e9 au lait');
  });
});
