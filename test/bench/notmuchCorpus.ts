// The mailbox searchVsNotmuch.bench.ts builds twice (an Outpost index and a
// notmuch maildir): the real corpus's raw messages resampled to any size, each
// copy with its own Message-ID, a Date from a fixed epoch, threads of three by
// In-Reply-To/References, and the folders and flags both sides are given.
import type { CorpusMessage } from '../emulator/kit/corpus.ts';

/** The first copy's Date; copies are spread evenly over SPAN_YEARS from it, whatever their number. */
export const EPOCH = Date.UTC(2005, 0, 1);
export const SPAN_YEARS = 12;

export interface CopyPlacement {
  inbox: boolean;
  unread: boolean;
  receipts: boolean;
  spam: boolean;
  trash: boolean;
}

/**
 * Where copy n lives: its template's spam in Spam, one in twenty in Trash,
 * one in ten archived (out of the inbox), the rest in the inbox; a quarter
 * unread, one in fifty also labelled receipts.
 */
export function placementOf(template: CorpusMessage, n: number): CopyPlacement {
  const spam = template.group.startsWith('spam');
  const trash = !spam && n % 20 === 7;
  return { spam, trash, inbox: !spam && !trash && n % 10 !== 5, unread: n % 4 === 0, receipts: n % 50 === 1 };
}

export const messageIdOf = (n: number): string => `bench.${n}@outpost.bench`;

export function dateOf(n: number, total: number): number {
  const span = Date.UTC(2005 + SPAN_YEARS, 0, 1) - EPOCH;
  return EPOCH + Math.floor((n * span) / total);
}

// Received stamps go too: Outpost reads a Date far past them as wrong and takes theirs (main/mail/mailDate.ts).
const REPLACED = new Set(['message-id', 'date', 'in-reply-to', 'references', 'subject', 'received']);

/** The header block split into fields (continuation lines kept with theirs), and the rest. */
function splitHeaders(raw: string): { fields: Array<{ name: string; text: string }>; rest: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const rest = match ? raw.slice(match.index) : '\n';
  const fields: Array<{ name: string; text: string }> = [];
  for (const line of head.split(/\r?\n/)) {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line) && last) last.text += `\n${line}`;
    else
      fields.push({
        name: line
          .slice(0, Math.max(0, line.indexOf(':')))
          .trim()
          .toLowerCase(),
        text: line,
      });
  }
  return { fields, rest };
}

function subjectOf(raw: string): string {
  const field = splitHeaders(raw).fields.find((f) => f.name === 'subject');
  return field
    ? field.text
        .slice(field.text.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim()
    : '';
}

/**
 * Copy n's bytes: the template's (latin1 round trip keeps 8-bit bodies exact)
 * with a new Message-ID and Date; the second and third of each thread of
 * three answer the previous one, with "Re: " and the first one's subject (an
 * import threads by references and a shared subject, as Gmail does).
 */
export function rawCopy(corpus: readonly CorpusMessage[], n: number, total: number): Buffer {
  const template = corpus[n % corpus.length] as CorpusMessage;
  const { fields, rest } = splitHeaders(template.raw.toString('latin1'));
  const position = n % 3;
  const root = n - position;
  const date = new Date(dateOf(n, total)).toUTCString().replace('GMT', '+0000');
  const own = [`Message-ID: <${messageIdOf(n)}>`, `Date: ${date}`];
  if (position === 0) {
    const subject = fields.find((f) => f.name === 'subject');
    if (subject) own.push(subject.text);
  } else {
    const rootSubject = subjectOf((corpus[root % corpus.length] as CorpusMessage).raw.toString('latin1'));
    own.push(`Subject: Re: ${rootSubject}`);
    own.push(`In-Reply-To: <${messageIdOf(n - 1)}>`);
    own.push(`References: ${[...new Set([root, n - 1])].map((m) => `<${messageIdOf(m)}>`).join(' ')}`);
  }
  // The corpus's leading "From " mbox separator line is left out: a maildir file is one RFC 822 message.
  const kept = fields.filter((f) => f.name !== '' && !REPLACED.has(f.name)).map((f) => f.text);
  return Buffer.from([...own, ...kept].join('\n') + rest, 'latin1');
}
