import { createReadStream } from 'node:fs';

/**
 * Splits an mbox file (mboxrd/mboxo) into raw messages without loading the
 * whole file: messages start at lines beginning with "From " after a blank
 * line (or at the file start). ">From " quoting is undone (mboxrd).
 */
export async function* readMbox(path: string): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  let current: Buffer[] = [];
  let previousBlank = true;
  let started = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let newline = pending.indexOf(0x0a, start); newline !== -1; newline = pending.indexOf(0x0a, start)) {
      const line = pending.subarray(start, newline + 1);
      start = newline + 1;
      if (isEnvelopeLine(line) && previousBlank) {
        if (started && current.length) yield finish(current);
        current = [];
        started = true;
        previousBlank = false;
        continue;
      }
      if (!started) {
        if (line.toString('latin1').trim() === '') continue;
        throw new Error(`${path} is not an mbox file (it must start with a "From " line)`);
      }
      current.push(unquote(line));
      previousBlank = line.length <= 2 && line.toString('latin1').trim() === '';
    }
    pending = pending.subarray(start);
  }
  if (pending.length) current.push(unquote(pending));
  if (started && current.length) yield finish(current);
}

/**
 * "From sender Thu Aug 22 12:36:23 2002": a sender, a time and a year. Unquoted
 * body lines that merely start with "From " (mboxo writers do not escape them)
 * lack that shape and stay in their message.
 */
const ENVELOPE = /^From \S+\s.*\b\d{1,2}:\d{2}(:\d{2})?\b.*\b\d{4}\b/;

function isEnvelopeLine(line: Buffer): boolean {
  return line.length > 5 && line[0] === 0x46 && ENVELOPE.test(line.subarray(0, 200).toString('latin1'));
}

function unquote(line: Buffer): Buffer {
  // mboxrd: ">From ", ">>From " ... lose one ">".
  let i = 0;
  while (line[i] === 0x3e) i++;
  return i > 0 && line.subarray(i, i + 5).toString('latin1') === 'From ' ? line.subarray(1) : line;
}

function finish(lines: Buffer[]): Buffer {
  const message = Buffer.concat(lines);
  // The blank line before the next envelope belongs to the mbox, not the message.
  if (message.length >= 2 && message[message.length - 1] === 0x0a && message[message.length - 2] === 0x0a) {
    return message.subarray(0, message.length - 1);
  }
  return message;
}
