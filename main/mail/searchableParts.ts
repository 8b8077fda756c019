import { countsAsAttachment } from '../db/queries/attachments.ts';
import { decodeText } from './charsetDecoding.ts';

/** Parts that are text a person reads although they are not the body: bounce and receipt reports, returned headers. */
const REPORT_TYPES = new Set(['message/delivery-status', 'message/disposition-notification', 'message/feedback-report']);

interface Part {
  filename: string;
  mimeType: string;
  isInline: boolean;
  content: Uint8Array;
}

/**
 * What a search should find in a message beyond its plain text (which the
 * index keeps for display as it is): the HTML alternative converted to text
 * when it has words the plain part lacks (senders' two versions often differ:
 * the plain one says "view this in HTML"), and every part that is text but no
 * attachment — `message/delivery-status` and `text/rfc822-headers` of bounces,
 * `text/enriched`, parts with an unusual text type. Attachments' contents are
 * not searched (notmuch does not either); their names are (messageWrites.ts).
 */
export function searchableParts(text: string, htmlText: string | null, parts: readonly Part[]): string {
  const pieces: string[] = [];
  if (htmlText && htmlText !== text && saysMore(htmlText, text)) pieces.push(htmlText);
  for (const part of parts) {
    const type = part.mimeType.toLowerCase();
    if (countsAsAttachment(part) || !(type.startsWith('text/') || REPORT_TYPES.has(type))) continue;
    pieces.push(decodeText(part.content, ['utf-8']));
  }
  return pieces.join('\n');
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Whether `other` has a word `text` does not (case aside). */
function saysMore(other: string, text: string): boolean {
  const known = new Set(text.toLowerCase().match(WORD));
  return (other.toLowerCase().match(WORD) ?? []).some((word) => !known.has(word));
}
