import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useLabelStore } from '../mail/labelStore.ts';
import { useListStore } from '../mail/listStore.ts';
import { useNavigationStore } from '../mail/navigationStore.ts';
import { useSelectionStore } from '../mail/selectionStore.ts';
import { actOnChecked } from '../mail/threadActions.ts';
import { viewCount, viewPlace } from '../mail/viewCount.ts';
import { LabelPicker } from './LabelPicker.tsx';

/**
 * The bar above the list while threads are ticked (its own row: it never covers one): the bulk
 * actions, and Gmail's banner that turns a ticked page into every conversation of the view.
 */
export function BulkActions() {
  const { checked, wholeView } = useSelectionStore(useShallow((s) => ({ checked: s.checked, wholeView: s.wholeView })));
  const view = useNavigationStore((s) => s.view);
  const loaded = useListStore((s) => s.ids.length);
  const total = useListStore((s) => s.total);
  const { labels, accountEmails } = useLabelStore(useShallow((s) => ({ labels: s.labels, accountEmails: s.accountEmails })));
  const inView = viewCount(view, labels, Object.keys(accountEmails), total);
  if (checked.size === 0 && !wholeView) return null;
  const count = wholeView && inView !== null ? inView : checked.size;
  const place = viewPlace(view);
  return (
    <div className="bulk-bar">
      <BulkToolbar count={count} />
      {wholeView ? (
        <p className="select-all-banner" role="status">
          {inView === null ? `All conversations ${place} are selected.` : `All ${inView} conversations ${place} are selected.`}{' '}
          <button type="button" className="link-button" onClick={() => useSelectionStore.getState().clearChecked()}>
            Clear selection
          </button>
        </p>
      ) : (
        checked.size === loaded &&
        (inView === null || inView > loaded) && (
          <p className="select-all-banner" role="status">
            All {loaded} conversations on this page are selected.{' '}
            <button type="button" className="link-button" onClick={() => useSelectionStore.getState().selectWholeView()}>
              {inView === null ? `Select all conversations ${place}` : `Select all ${inView} conversations ${place}`}
            </button>
          </p>
        )
      )}
    </div>
  );
}

function BulkToolbar({ count }: { count: number }) {
  const clearChecked = useSelectionStore((s) => s.clearChecked);
  const inSpamView = useNavigationStore((s) => s.view.kind === 'label' && s.view.label === 'spam');
  const actions = [
    ['archive', 'Archive'],
    ['trash', 'Delete'],
    inSpamView ? (['not_spam', 'Not spam'] as const) : (['spam', 'Report spam'] as const),
    ['mark_read', 'Mark read'],
    ['mark_unread', 'Mark unread'],
    ['star', 'Star'],
  ] as const;
  return (
    <div className="bulk-actions" role="toolbar" aria-label={`${count} selected`}>
      <span className="bulk-count">{count} selected</span>
      {actions.map(([action, label]) => (
        <button key={action} type="button" onClick={() => void actOnChecked(action)}>
          {label}
        </button>
      ))}
      <LabelAndMove />
      <button type="button" onClick={clearChecked}>
        Clear
      </button>
    </div>
  );
}

/**
 * Label and Move to: labels and folders belong to one account, so with ticks in several accounts
 * they say so and ask which account's part they act on (one choice, then the picker of that
 * account's labels) rather than disappearing.
 */
function LabelAndMove() {
  const [picker, setPicker] = useState<'label' | 'move' | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const { checked, wholeView } = useSelectionStore(useShallow((s) => ({ checked: s.checked, wholeView: s.wholeView })));
  const viewAccount = useNavigationStore((s) => s.view.account);
  const accountEmails = useLabelStore((s) => s.accountEmails);
  // The ticked threads' summaries only: a patch of another thread does not re-render the toolbar.
  const ticked = useListStore(useShallow((s) => [...checked].flatMap((id) => s.threads[id] ?? [])));
  // The accounts the selection spans: the ticked threads', or every account in view for a whole unified view.
  const accounts = wholeView
    ? viewAccount
      ? [viewAccount]
      : Object.keys(accountEmails)
    : [...new Set(ticked.map((t) => t.account_id))];
  const accountId = accounts.length === 1 ? accounts[0] : chosen && accounts.includes(chosen) ? chosen : undefined;
  const ofAccount = ticked.filter((t) => t.account_id === accountId);
  const onAll = ofAccount.length
    ? (ofAccount[0]?.label_ids ?? []).filter((id) => ofAccount.every((t) => t.label_ids.includes(id)))
    : [];
  const mixed = accounts.length > 1;
  return (
    <>
      {mixed && (
        // Buttons, not a <select>: its <option>s would read as more rows of the list (role option).
        <fieldset className="bulk-accounts" aria-label="Account for Label and Move">
          <span>Label and Move apply to one account at a time:</span>
          {accounts.map((id) => (
            <button key={id} type="button" aria-pressed={id === accountId} onClick={() => setChosen(id)}>
              {accountEmails[id] ?? id}
              {wholeView ? '' : ` (${ticked.filter((t) => t.account_id === id).length})`}
            </button>
          ))}
        </fieldset>
      )}
      {(
        [
          ['move', 'Move to'],
          ['label', 'Label'],
        ] as const
      ).map(([kind, name]) => (
        <button
          key={kind}
          type="button"
          disabled={!accountId}
          aria-expanded={picker === kind}
          onClick={() => setPicker(picker === kind ? null : kind)}
        >
          {name}
        </button>
      ))}
      {picker && accountId && (
        <LabelPicker
          key={`${picker}-${accountId}`}
          kind={picker}
          accountId={accountId}
          applied={onAll}
          apply={(action, labelId) => actOnChecked(action, labelId, mixed ? accountId : undefined)}
          onClose={() => setPicker(null)}
        />
      )}
    </>
  );
}
