import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttachmentPathError, resolveAttachmentPath } from '../../../main/send/attachmentSources.ts';
import { composeMessage } from '../../../main/send/composeMessage.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('composeMessage', () => {
  it('builds a message that parses back to exactly what was asked', async () => {
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80]);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const { raw, messageId } = await composeMessage({
      from: { name: 'Jürgen Müller', email: 'juergen@example.test' },
      to: ['"Doe, Jane" <jane@example.test>', 'Zoë <zoe@bücher.example>'],
      cc: ['cc@example.test'],
      bcc: ['hidden@example.test'],
      replyTo: 'replies@example.test',
      subject: 'Grüße — quarterly numbers ✓',
      html: '<p>Hello <b>Jane</b>, chart: <img src="cid:chart@outpost"></p>',
      attachments: [
        { filename: 'report.pdf', mimeType: 'application/pdf', content: pdf },
        { filename: 'chart.png', mimeType: 'image/png', content: png, contentId: 'chart@outpost' },
      ],
      inReplyTo: 'parent@example.test',
      references: ['root@example.test', 'parent@example.test'],
    });
    const parsed = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
    expect(parsed.subject).toBe('Grüße — quarterly numbers ✓');
    expect(parsed.from).toMatchObject({ name: 'Jürgen Müller', address: 'juergen@example.test' });
    expect(parsed.to?.map((a) => ('address' in a ? a.address : ''))).toEqual(['jane@example.test', 'zoe@xn--bcher-kva.example']);
    expect(parsed.to?.[0]?.name).toBe('Doe, Jane');
    expect(parsed.cc?.map((a) => ('address' in a ? a.address : ''))).toEqual(['cc@example.test']);
    expect(parsed.bcc?.map((a) => ('address' in a ? a.address : ''))).toEqual(['hidden@example.test']);
    expect(parsed.replyTo?.map((a) => ('address' in a ? a.address : ''))).toEqual(['replies@example.test']);
    expect(parsed.messageId).toBe(`<${messageId}>`);
    expect(parsed.inReplyTo).toBe('<parent@example.test>');
    expect(parsed.references).toBe('<root@example.test> <parent@example.test>');
    expect(parsed.html).toContain('<b>Jane</b>');
    expect(parsed.text).toContain('Hello Jane'); // derived from the HTML
    const report = parsed.attachments.find((a) => a.filename === 'report.pdf');
    expect(Buffer.from(report?.content as ArrayBuffer).equals(pdf)).toBe(true);
    const chart = parsed.attachments.find((a) => a.filename === 'chart.png');
    expect(chart?.contentId).toBe('<chart@outpost>');
    expect(Buffer.from(chart?.content as ArrayBuffer).equals(png)).toBe(true);
    expect(raw.toString('latin1')).toMatch(/Content-Type: multipart\/alternative/);
  });

  it.each([
    ['one 998-character word', 'x'.repeat(998)],
    ['998 characters of words', 'word '.repeat(199).concat('end').slice(0, 998)],
    ['a 998-character non-ASCII word', 'ü'.repeat(998)],
  ])('folds a subject of %s: no header line passes 998 characters, and it reads back the same', async (_what, subject) => {
    const { raw } = await composeMessage({
      from: { name: '', email: 'me@example.test' },
      to: ['jane@example.test'],
      subject,
      text: 'b',
    });
    const header = raw.toString('latin1').split('\r\n\r\n')[0] as string;
    const longest = Math.max(...header.split('\r\n').map((line) => line.length));
    expect(longest).toBeLessThanOrEqual(998);
    expect((await PostalMime.parse(raw)).subject).toBe(subject);
  });

  it('sends plain text alone as text/plain', async () => {
    const { raw } = await composeMessage({
      from: { name: '', email: 'a@example.test' },
      to: ['b@example.test'],
      subject: 'hi',
      text: 'just text',
    });
    const parsed = await PostalMime.parse(raw);
    expect(parsed.text?.trim()).toBe('just text');
    expect(parsed.html).toBeUndefined();
  });
});

describe('resolveAttachmentPath', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let root: string;
  beforeEach(() => {
    dir = makeTempDir();
    root = join(dir.path, 'allowed');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'sub', 'ok.txt'), 'fine');
    writeFileSync(join(dir.path, 'secret.txt'), 'secret');
    symlinkSync(join(dir.path, 'secret.txt'), join(root, 'link-out.txt'));
  });
  afterEach(() => dir.remove());

  it('accepts files inside an allowed folder, relative or absolute', () => {
    expect(resolveAttachmentPath('sub/ok.txt', [root], 100)).toMatch(/sub\/ok\.txt$/);
    expect(resolveAttachmentPath(join(root, 'sub', 'ok.txt'), [root], 100)).toMatch(/sub\/ok\.txt$/);
  });

  it.each(['../secret.txt', 'sub/../../secret.txt', '/etc/passwd', 'link-out.txt', 'sub', 'missing.txt', 'a\0b'])(
    'refuses %j',
    (path) => {
      expect(() => resolveAttachmentPath(path, [root], 100)).toThrow(AttachmentPathError);
    },
  );

  it('refuses files over the size limit', () => {
    expect(() => resolveAttachmentPath('sub/ok.txt', [root], 2)).toThrow(/larger than/);
  });
});
