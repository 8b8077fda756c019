import { describe, expect, it } from 'vitest';
import { makeSnippet, parseRfc822 } from '../../../main/mail/parseRfc822.ts';
import { loadCorpus } from '../../emulator/kit/corpus.ts';

describe('parseRfc822', () => {
  it('decodes encoded-word headers, addresses, quoted-printable bodies and attachments', async () => {
    const raw = [
      'From: =?UTF-8?B?SsO8cmdlbg==?= <Juergen@Example.TEST>',
      'To: "Doe, Jane" <jane@example.test>, team: a@example.test, b@example.test;',
      'Subject: =?ISO-8859-1?Q?Gr=FC=DFe?= aus Berlin',
      'Date: Tue, 3 Mar 2026 10:00:00 +0100',
      'Message-ID: <abc@example.test>',
      'In-Reply-To: <parent@example.test>',
      'References: <root@example.test> <parent@example.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Sch=F6ne Gr=FC=DFe',
      '--b1',
      'Content-Type: application/pdf; name="report.pdf"',
      'Content-Disposition: attachment; filename="report.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.4 fake').toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');
    const parsed = await parseRfc822(raw);
    expect(parsed.from).toEqual({ name: 'Jürgen', email: 'juergen@example.test' });
    expect(parsed.to.map((a) => a.email)).toEqual(['jane@example.test', 'a@example.test', 'b@example.test']);
    expect(parsed.to[0]?.name).toBe('Doe, Jane');
    expect(parsed.subject).toBe('Grüße aus Berlin');
    expect(parsed.date).toBe(Date.UTC(2026, 2, 3, 9));
    expect(parsed.rfc822MessageId).toBe('abc@example.test');
    expect(parsed.inReplyTo).toBe('parent@example.test');
    expect(parsed.references).toEqual(['root@example.test', 'parent@example.test']);
    expect(parsed.text.trim()).toBe('Schöne Grüße');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]).toMatchObject({ filename: 'report.pdf', mimeType: 'application/pdf', isInline: false });
    expect(Buffer.from(parsed.attachments[0]!.content).toString()).toBe('%PDF-1.4 fake');
  });

  it('derives the text of an HTML-only message', async () => {
    const parsed = await parseRfc822(
      'Subject: x\r\nContent-Type: text/html\r\n\r\n<p>Hello <b>there</b></p><script>x()</script>',
    );
    expect(parsed.html).toContain('<b>there</b>');
    expect(parsed.text).toContain('Hello there');
    expect(parsed.text).not.toContain('x()');
  });

  it('survives a message with no headers worth the name', async () => {
    const parsed = await parseRfc822('garbage without a colon\n\nbody');
    expect(parsed.from).toBeNull();
    expect(parsed.date).toBeNull();
  });

  it("reads an 8-bit ISO-8859-1 corpus message in its own charset (the file's bytes, not a UTF-8 reading of them)", async () => {
    const message = loadCorpus().find((m) => m.key === 'easy-ham-1/00160.eb0db8e14a3308c08db1cc38c4c7d66a')!;
    const parsed = await parseRfc822(message.raw);
    expect(parsed.text).toContain('Ananova:\u00a0');
    expect(parsed.text).not.toContain('\ufffd');
  });

  it('parses every message of the real SpamAssassin corpus without throwing', async () => {
    const corpus = loadCorpus();
    let withSender = 0;
    let withDate = 0;
    for (const message of corpus) {
      const parsed = await parseRfc822(message.raw);
      if (parsed.from) withSender++;
      if (parsed.date !== null) withDate++;
      expect(typeof parsed.text).toBe('string');
    }
    expect(corpus.length).toBe(6046);
    // Real-world mail: nearly all have a parsable sender and date; a handful are broken.
    expect(withSender / corpus.length).toBeGreaterThan(0.99);
    expect(withDate / corpus.length).toBeGreaterThan(0.98);
  }, 120_000);
});

describe('makeSnippet', () => {
  it('collapses whitespace, drops quoted lines and caps the length', () => {
    expect(makeSnippet('Hi Ann,\n\n> old text\nSee   you\tthere')).toBe('Hi Ann, See you there');
    expect(makeSnippet('x'.repeat(500))).toHaveLength(200);
  });
});
