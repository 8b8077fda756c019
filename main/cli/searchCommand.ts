import { openIndexForReading } from '../core/indexAccess.ts';
import { OutpostError } from '../core/outpostError.ts';
import { parseSearchQuery, SearchSyntaxError } from '../search/parseSearchQuery.ts';
import { splitHighlight } from '../search/presentSearchHit.ts';
import { searchMessages } from '../search/searchMessages.ts';

/** `outpost search QUERY`: the same search as GET /v1/email/search, printed for a terminal. */
export function searchCommand(options: { dataDir: string; query: string; accountId?: string; limit: number }): void {
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
    const hits = searchMessages(db, query, { accountId: options.accountId, limit: options.limit, offset: 0 });
    const bold = process.stdout.isTTY ? (s: string) => `\u001b[1m${s}\u001b[22m` : (s: string) => `*${s}*`;
    for (const hit of hits) {
      const date = new Date(hit.sent_at).toISOString().slice(0, 10);
      const from = hit.from_name || hit.from_email || '(unknown)';
      const passage = splitHighlight(hit.highlight ?? hit.snippet)
        .map((s) => (s.match ? bold(s.text) : s.text))
        .join('')
        .replace(/\s+/g, ' ');
      process.stdout.write(
        `${date}  ${from.slice(0, 28).padEnd(28)}  ${hit.subject || '(no subject)'}\n    ${passage}\n    thr_${hit.thread_id}\n`,
      );
    }
    process.stdout.write(`${hits.length} result${hits.length === 1 ? '' : 's'}\n`);
  } finally {
    db.close();
  }
}
