import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { Label } from '../../../shared/api/threads.ts';
import { useLabelStore } from '../mail/labelStore.ts';

/** What a thread can be labelled with: Gmail labels of the user's, Outlook categories. */
export function labelChoices(labels: readonly Label[], accountId: string): Label[] {
  return labels.filter((l) => l.account_id === accountId && (l.kind === 'user' || l.kind === 'category'));
}

/** Where a thread can move: Outlook folders; Gmail labels of the user's and back to the inbox. */
export function moveChoices(labels: readonly Label[], accountId: string): Label[] {
  return labels.filter(
    (l) =>
      l.account_id === accountId && (l.kind === 'folder' || l.kind === 'user' || (l.kind === 'system' && l.role === 'inbox')),
  );
}

export type LabelAction = 'add_label' | 'remove_label' | 'move_to';

/**
 * Label (l) or Move to (v), as in Gmail: type to narrow the list; labels are
 * ticked on and off in place, a move goes at once. Only one account's labels
 * are offered (the thread's, or the ticked threads' when they share one).
 * `applied`: the labels already on (every one of) the threads.
 */
export function LabelPicker({
  kind,
  accountId,
  applied,
  apply,
  onClose,
}: {
  kind: 'label' | 'move';
  accountId: string;
  applied: readonly string[];
  apply(action: LabelAction, labelId: string): Promise<void>;
  onClose(): void;
}) {
  const labels = useLabelStore((s) => s.labels);
  const [filter, setFilter] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  // Ticks show at once; the threads as the index has them afterwards are the truth.
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set(applied));
  useEffect(() => setTicked(new Set(applied)), [applied]);

  const choices = (kind === 'label' ? labelChoices : moveChoices)(labels, accountId).filter((l) =>
    l.name.toLowerCase().includes(filter.trim().toLowerCase()),
  );
  const close = onClose;
  // A failure shows where the action's others do (the reading pane, the list).
  const run = async (action: LabelAction, label: Label) => {
    await apply(action, label.id);
    if (action === 'move_to') close();
  };
  const toggle = (label: Label) => {
    const on = !ticked.has(label.id);
    setTicked((previous) => {
      const next = new Set(previous);
      if (on) next.add(label.id);
      else next.delete(label.id);
      return next;
    });
    void run(on ? 'add_label' : 'remove_label', label);
  };
  // "Create 'xyz'" when the filter matches nothing: made at the provider, then applied when the picker offers it.
  const createLabel = useLabelStore((s) => s.createLabel);
  const [notice, setNotice] = useState<string | null>(null);
  const wanted = filter.trim();
  const create = async () => {
    setNotice(null);
    try {
      const made = await createLabel(accountId, wanted);
      const offered = (kind === 'label' ? labelChoices : moveChoices)(useLabelStore.getState().labels, accountId);
      if (!offered.some((l) => l.id === made.id)) return setNotice(`Made "${made.name}" (a folder: move mail to it with v).`);
      await apply(kind === 'label' ? 'add_label' : 'move_to', made.id);
      close();
    } catch (error) {
      setNotice((error as Error).message);
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    } else if (event.key === 'Enter' && event.target === input.current && (choices[0] || wanted)) {
      // Enter applies the first match and is done (the next key is a shortcut again, not more filter).
      event.preventDefault();
      if (!choices[0]) void create();
      else if (kind === 'move') void run('move_to', choices[0]);
      else {
        toggle(choices[0]);
        close();
      }
    }
  };
  const title = kind === 'label' ? 'Label as' : 'Move to';
  return (
    <div className="label-picker" role="dialog" aria-modal="true" aria-label={title} onKeyDown={onKeyDown}>
      <input
        ref={input}
        type="search"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        placeholder={kind === 'label' ? 'Filter labels' : 'Filter folders and labels'}
        aria-label={`${title}: filter`}
      />
      {choices.length === 0 && !wanted && <p className="muted">This account has none.</p>}
      {choices.length === 0 && wanted && (
        <button type="button" className="link-button" onClick={() => void create()}>
          Create "{wanted}"
        </button>
      )}
      {notice && (
        <p role="status" className="muted">
          {notice}
        </p>
      )}
      <ul>
        {choices.map((label) => (
          <li key={label.id}>
            {kind === 'label' ? (
              <label>
                <input type="checkbox" checked={ticked.has(label.id)} onChange={() => toggle(label)} /> {label.name}
              </label>
            ) : (
              <button type="button" onClick={() => void run('move_to', label)} disabled={applied.includes(label.id)}>
                {label.name}
              </button>
            )}
          </li>
        ))}
      </ul>
      <button type="button" className="link-button" onClick={close}>
        Done
      </button>
    </div>
  );
}
