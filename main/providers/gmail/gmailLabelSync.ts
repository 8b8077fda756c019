import type { WritableDb } from '../../db/handles.ts';
import { deleteLabelsExcept, labelIdsByRemoteId, upsertLabel } from '../../db/queries/labels.ts';
import { transaction } from '../../db/transactions.ts';
import { logRetry, withRetry } from '../../sync/retryPolicy.ts';
import { classifyGoogleFailure, toProviderError } from './gmailErrors.ts';
import { QUOTA_UNITS } from './gmailFetch.ts';
import { placeholderLabel, toLabelInput } from './gmailLabels.ts';
import type { GmailSession } from './gmailSession.ts';

/** Gmail label id -> index label row id, for one account; labels seen on messages before labels.list are added on demand. */
export class GmailLabelMap {
  readonly #db: WritableDb;
  readonly #accountId: string;
  readonly #rows: Map<string, number>;

  constructor(db: WritableDb, accountId: string) {
    this.#db = db;
    this.#accountId = accountId;
    this.#rows = labelIdsByRemoteId(db, accountId);
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
  db: WritableDb,
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
      { classify: classifyGoogleFailure, signal, onRetry: logRetry(session.log, 'gmail labels.list') },
    );
  } catch (error) {
    throw toProviderError(error);
  }
  transaction(db, () => {
    const keep = new Set<string>();
    for (const label of labels) {
      const input = toLabelInput(label);
      if (!input) continue;
      upsertLabel(db, accountId, input);
      keep.add(input.remoteId);
    }
    deleteLabelsExcept(db, accountId, keep);
  });
  return new GmailLabelMap(db, accountId);
}
