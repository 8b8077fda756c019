import type { IndexDb } from '../../db/openIndex.ts';
import { upsertLabel } from '../../db/queries/labels.ts';
import { stmt } from '../../db/statements.ts';
import { withRetry } from '../../sync/retryPolicy.ts';
import { classifyGoogleFailure, toProviderError } from './gmailErrors.ts';
import { QUOTA_UNITS } from './gmailFetch.ts';
import { placeholderLabel, toLabelInput } from './gmailLabels.ts';
import type { GmailSession } from './gmailSession.ts';

/** Gmail label id -> index label row id, for one account; labels seen on messages before labels.list are added on demand. */
export class GmailLabelMap {
  readonly #db: IndexDb;
  readonly #accountId: string;
  readonly #rows = new Map<string, number>();

  constructor(db: IndexDb, accountId: string) {
    this.#db = db;
    this.#accountId = accountId;
    for (const row of stmt<[string], { id: number; remote_id: string }>(
      db,
      'SELECT id, remote_id FROM labels WHERE account_id = ?',
    ).all(accountId)) {
      this.#rows.set(row.remote_id, row.id);
    }
  }

  rowIdsOf(gmailLabelIds: readonly string[]): number[] {
    const ids: number[] = [];
    for (const labelId of gmailLabelIds) {
      let rowId = this.#rows.get(labelId);
      if (rowId === undefined) {
        const input = placeholderLabel(labelId);
        if (!input) continue; // UNREAD: a flag, not a label
        rowId = upsertLabel(this.#db, this.#accountId, input);
        this.#rows.set(labelId, rowId);
      }
      ids.push(rowId);
    }
    return ids;
  }
}

/** Mirrors the account's labels (labels.list): adds and renames, and removes labels deleted in Gmail. */
export async function syncGmailLabels(
  db: IndexDb,
  session: GmailSession,
  accountId: string,
  signal?: AbortSignal,
): Promise<GmailLabelMap> {
  let labels: Array<{ id?: string | null; name?: string | null; type?: string | null }>;
  try {
    labels = await withRetry(
      async () => {
        await session.quota.take(QUOTA_UNITS.labelsList, signal);
        return (await session.gmail.users.labels.list({ userId: 'me' }, { signal })).data.labels ?? [];
      },
      { classify: classifyGoogleFailure, signal },
    );
  } catch (error) {
    throw toProviderError(error);
  }
  db.transaction(() => {
    const keep = new Set<string>();
    for (const label of labels) {
      const input = toLabelInput(label);
      if (!input) continue;
      upsertLabel(db, accountId, input);
      keep.add(input.remoteId);
    }
    const existing = stmt<[string], { remote_id: string }>(db, 'SELECT remote_id FROM labels WHERE account_id = ?').all(
      accountId,
    );
    const remove = stmt(db, 'DELETE FROM labels WHERE account_id = ? AND remote_id = ?');
    for (const { remote_id } of existing) if (!keep.has(remote_id)) remove.run(accountId, remote_id);
  })();
  return new GmailLabelMap(db, accountId);
}
