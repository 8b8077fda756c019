import type { EventBus } from '../core/eventBus.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { WritableDb } from '../db/handles.ts';
import { getAccount } from '../db/queries/accounts.ts';
import { deleteLabel, getLabel, type LabelRow, upsertLabel } from '../db/queries/labels.ts';
import { transaction } from '../db/transactions.ts';
import type { ProviderLabels } from '../providers/accountProvider.ts';
import { ProviderError } from '../providers/providerErrors.ts';
import type { ProviderRegistry } from '../providers/registry.ts';

/** Labels (Gmail) and folders (Outlook) made, renamed and deleted at the provider, the index following at once. */
export interface LabelManagement {
  create(accountId: string, name: string, parentId: number | null): Promise<LabelRow>;
  rename(labelId: number, name: string): Promise<LabelRow>;
  delete(labelId: number): Promise<void>;
}

/**
 * Done at once, not queued like thread actions: a label is used by its provider id (to label or move
 * mail), which only the provider's answer gives. Offline, the provider's error says so (network_error)
 * and nothing changes here.
 */
export function labelManagement(deps: { db: WritableDb; providers: ProviderRegistry; events: EventBus }): LabelManagement {
  const { db, providers } = deps;
  const atProvider = async <T>(accountId: string, what: string, run: (labels: ProviderLabels) => Promise<T>): Promise<T> => {
    const account = getAccount(db, accountId);
    if (!account) throw new OutpostError('not_found', `no account ${accountId}`, { field: 'account_id' });
    try {
      return await run(await providers.of(account).session(account).labels());
    } catch (error) {
      if (error instanceof OutpostError) throw error;
      const status = (error as { status?: number }).status;
      throw new ProviderError('provider_error', `the label was not ${what}: ${(error as Error).message}`, status);
    }
  };
  /** Only the user's own labels and folders are renamed or deleted (not Inbox, not a category). */
  const ownLabel = (labelId: number): LabelRow => {
    const label = getLabel(db, labelId);
    if (!label) throw new OutpostError('not_found', `no label lbl_${labelId}`);
    if (label.role || (label.kind !== 'user' && label.kind !== 'folder'))
      throw new OutpostError('validation_error', `${label.name} is the provider's own; only your labels and folders change`);
    return label;
  };
  const stored = (accountId: string, id: number) => getLabel(db, id) ?? missing(accountId);
  const changed = (accountId: string) =>
    deps.events.emit({ type: 'mail.changed', account_id: accountId, thread_ids: [], removed_thread_ids: [], what: ['labels'] });
  return {
    async create(accountId, name, parentId) {
      const parent = parentId === null ? null : ownLabel(parentId);
      if (parent && parent.account_id !== accountId)
        throw new OutpostError('validation_error', 'parent_id is a label of another account', { field: 'parent_id' });
      const input = await atProvider(accountId, 'made', (labels) =>
        labels.create(name, parent ? { remoteId: parent.remote_id, name: parent.name } : null),
      );
      const id = transaction(db, () => upsertLabel(db, accountId, input));
      changed(accountId);
      return stored(accountId, id);
    },
    async rename(labelId, name) {
      const label = ownLabel(labelId);
      const input = await atProvider(label.account_id, 'renamed', (labels) =>
        labels.rename({ remoteId: label.remote_id, name: label.name }, name),
      );
      transaction(db, () => upsertLabel(db, label.account_id, input));
      changed(label.account_id);
      return stored(label.account_id, labelId);
    },
    async delete(labelId) {
      const label = ownLabel(labelId);
      await atProvider(label.account_id, 'deleted', (labels) => labels.delete(label.remote_id));
      transaction(db, () => deleteLabel(db, labelId));
      changed(label.account_id);
    },
  };
}

function missing(accountId: string): never {
  throw new OutpostError('internal_error', `the label just stored for ${accountId} is not in the index`);
}
