import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMbox } from '../../../main/mail/mbox.ts';
import { normalizeSubject } from '../../../main/mail/threading.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('readMbox', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  async function read(content: string): Promise<string[]> {
    const path = join(dir.path, 'box.mbox');
    writeFileSync(path, content);
    const messages: string[] = [];
    for await (const m of readMbox(path)) messages.push(m.toString());
    return messages;
  }

  it('splits messages at envelope lines that follow a blank line and unquotes >From', async () => {
    const messages = await read(
      'From a@x Mon Jan  1 00:00:00 2001\nSubject: one\n\nbody\n>From the start\n\nFrom b@x Mon Jan  1 00:00:00 2001\nSubject: two\n\nFrom inside body is not a separator\n',
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]).toBe('Subject: one\n\nbody\nFrom the start\n');
    expect(messages[1]).toContain('From inside body');
  });

  it('rejects a file that is not an mbox', async () => {
    await expect(read('Subject: hi\n\nnot an mbox')).rejects.toThrow(/not an mbox/);
  });

  it('reads an empty file as no messages', async () => {
    expect(await read('')).toEqual([]);
  });
});

describe('normalizeSubject', () => {
  it('strips reply and forward prefixes in several languages, and list tags', () => {
    expect(normalizeSubject('Re: Fwd: [ILUG] Hello   World')).toBe('hello world');
    expect(normalizeSubject('AW: WG: Termin')).toBe('termin');
    expect(normalizeSubject('RE[2]: status')).toBe('status');
  });
});
