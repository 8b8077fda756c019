import { openIndexForReading } from '../core/indexAccess.ts';
import { OutpostError } from '../core/outpostError.ts';
import { listAccounts } from '../db/queries/accounts.ts';
import type { HighlightSource } from '../search/highlightMatches.ts';
import { parseSearchQuery, SearchSyntaxError } from '../search/parseSearchQuery.ts';
import { splitHighlight } from '../search/presentSearchHit.ts';
import { searchPage } from '../search/searchMessages.ts';

/**
 * `outpost search QUERY`: the same search as GET /v1/email/search, printed for
 * a terminal: conversations (or messages), newest first, each with its account,
 * then how many results exist.
 */
export function searchCommand(options: {
  dataDir: string;
  query: string;
  accountId?: string | undefined;
  limit: number;
  prefix?: boolean | undefined;
  messages?: boolean | undefined;
}): void {
  let query: ReturnType<typeof parseSearchQuery>;
  try {
    query = parseSearchQuery(options.query);
  } catch (error) {
    // A query that does not parse is wrong usage of the command.
    if (error instanceof SearchSyntaxError) throw new OutpostError('usage_error', error.message, { cause: error });
    throw error;
  }
  const db = openIndexForReading(options.dataDir);
  if (!db) {
    process.stdout.write(
      'nothing to search yet: connect an account (outpost accounts connect google|microsoft) or import mail (outpost import-mbox)\n',
    );
    return;
  }
  try {
    const group = options.messages ? 'messages' : 'threads';
    const page = searchPage(db, query, {
      accountId: options.accountId,
      limit: options.limit,
      prefixLast: options.prefix,
      group,
    });
    const accounts = new Map(listAccounts(db).map((a) => [a.id, a.email]));
    const bold = process.stdout.isTTY ? (s: string) => `\u001b[1m${s}\u001b[22m` : (s: string) => `*${s}*`;
    for (const hit of page.rows) {
      const date = new Date(hit.sent_at).toISOString().slice(0, 10);
      const from = hit.from_name || hit.from_email || '(unknown)';
      const count = hit.matching_messages > 1 ? ` (${hit.matching_messages})` : '';
      const where = hit.highlight_source && hit.highlight_source !== 'body' ? `${PASSAGE_SOURCES[hit.highlight_source]}: ` : '';
      const passage = `${where}${splitHighlight(hit.highlight ?? hit.snippet)
        .map((s) => (s.match ? bold(s.text) : s.text))
        .join('')
        .replace(/\s+/g, ' ')}`;
      process.stdout.write(
        `${date}  ${from.slice(0, 28).padEnd(28)}  ${hit.subject || '(no subject)'}${count}\n    ${passage}\n    thr_${hit.thread_id}  ${accounts.get(hit.account_id) ?? hit.account_id}\n`,
      );
    }
    const noun = group === 'threads' ? 'conversation' : 'message';
    const total = `${page.totalEstimated ? 'about ' : ''}${groupThousands(page.total)} ${noun}${page.total === 1 ? '' : 's'}`;
    process.stdout.write(
      page.rows.length < page.total ? `${total}, the newest ${page.rows.length} shown (--limit N for more)\n` : `${total}\n`,
    );
  } finally {
    db.close();
  }
}

/** What a passage that is not from the body is labelled with. */
const PASSAGE_SOURCES: Record<HighlightSource, string> = {
  body: 'body',
  other_parts: 'other part',
  attachment_name: 'attachment',
  subject: 'subject',
  from: 'from',
  recipients: 'to',
};

/** 12345 as "12,345" (what toLocaleString('en-US') prints, without loading ICU's number formatting: 20-30 ms of a search's start-up). */
export function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
