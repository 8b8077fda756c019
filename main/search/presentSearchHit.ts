import type { SearchHit } from '../../shared/api/search.ts';
import { publicId } from '../../shared/ids.ts';
import { HIGHLIGHT_END, HIGHLIGHT_START, type SearchHitRow } from './searchMessages.ts';

export function presentSearchHit(row: SearchHitRow): SearchHit {
  return {
    message_id: publicId('msg', row.id),
    thread_id: publicId('thr', row.thread_id),
    account_id: row.account_id,
    subject: row.subject,
    from: row.from_email ? { name: row.from_name, email: row.from_email } : null,
    date: new Date(row.sent_at).toISOString(),
    snippet: row.snippet,
    is_unread: row.is_unread === 1,
    is_starred: row.is_starred === 1,
    has_attachments: row.has_attachments === 1,
    matching_messages: row.matching_messages,
    score: row.score,
    highlight: splitHighlight(row.highlight ?? row.snippet),
    subject_highlight: splitHighlight(row.subject_highlight ?? row.subject),
    ...(row.highlight_source ? { highlight_source: row.highlight_source } : {}),
  };
}

/** "a \u0002b\u0003 c" -> [{a, false}, {b, true}, {c, false}]: the UI renders matches as text, never as HTML. */
export function splitHighlight(text: string): Array<{ text: string; match: boolean }> {
  const segments: Array<{ text: string; match: boolean }> = [];
  let rest = text;
  while (rest.length > 0) {
    const start = rest.indexOf(HIGHLIGHT_START);
    if (start === -1) {
      segments.push({ text: rest, match: false });
      break;
    }
    if (start > 0) segments.push({ text: rest.slice(0, start), match: false });
    const end = rest.indexOf(HIGHLIGHT_END, start + 1);
    const stop = end === -1 ? rest.length : end;
    segments.push({ text: rest.slice(start + 1, stop), match: true });
    rest = end === -1 ? '' : rest.slice(end + 1);
  }
  return segments;
}
