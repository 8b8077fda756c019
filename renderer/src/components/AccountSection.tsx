import { type FormEvent, useState } from 'react';
import type { Label } from '../../../shared/api/threads.ts';
import { accountMailboxes, isEditable, type LabelNode, labelTree } from '../mail/accountMailboxes.ts';
import { useLabelStore } from '../mail/labelStore.ts';
import { useListStore } from '../mail/listStore.ts';
import { useNavigationStore } from '../mail/navigationStore.ts';
import { SidebarItem } from './SidebarItem.tsx';

/** What the inline name box is for: a new label (under a parent or at the top) or a new name for one. */
type Editing = { kind: 'new'; parent: Label | null } | { kind: 'rename'; label: Label } | null;

/**
 * One account under its address: its own mailboxes (Inbox ... Trash), then its labels or folders as a
 * tree, each opening a list of that account's mail only; the whole section and each parent fold away.
 * Labels are made, renamed and deleted here (at the provider, the index following at once).
 */
export function AccountSection({
  accountId,
  heading,
  labels,
  scoped,
}: {
  accountId: string;
  heading: string;
  labels: Label[];
  /** Several accounts: its views list this account's mail only; the only account: its views are the unified ones. */
  scoped: boolean;
}) {
  const [open, setOpen] = useState(true);
  const [editing, setEditing] = useState<Editing>(null);
  const showLabel = useListStore((s) => s.showLabel);
  const account = scoped ? accountId : undefined;
  const current = useNavigationStore((s) =>
    s.section === 'mail' && s.view.kind === 'label' && s.view.account === account ? s.view.label : null,
  );
  const shown = (title: string) => (scoped ? `${title} — ${heading}` : title);

  return (
    <section aria-label={heading} className="sidebar-account">
      <h2 className="sidebar-heading">
        <button type="button" className="fold" aria-expanded={open} onClick={() => setOpen(!open)} title={heading}>
          {heading}
        </button>
      </h2>
      {open && (
        <>
          <ul>
            {accountMailboxes(labels).map((box) => (
              <SidebarItem
                key={box.key}
                title={box.title}
                unread={box.count}
                countText={box.key === 'drafts' ? 'drafts' : 'unread'}
                active={current === box.label}
                onSelect={() => void showLabel(box.label, shown(box.title), account)}
              />
            ))}
          </ul>
          <LabelTreeList
            nodes={labelTree(labels)}
            current={current}
            onOpen={(label) => void showLabel(label.id, shown(label.name), account)}
            onEdit={setEditing}
          />
          {editing ? (
            <LabelNameForm accountId={accountId} editing={editing} onDone={() => setEditing(null)} />
          ) : (
            <button type="button" className="link-button sidebar-new" onClick={() => setEditing({ kind: 'new', parent: null })}>
              New label
            </button>
          )}
        </>
      )}
    </section>
  );
}

function LabelTreeList({
  nodes,
  current,
  onOpen,
  onEdit,
}: {
  nodes: LabelNode[];
  current: string | null;
  onOpen(label: Label): void;
  onEdit(editing: Editing): void;
}) {
  const [folded, setFolded] = useState<ReadonlySet<string>>(new Set());
  const deleteLabel = useLabelStore((s) => s.deleteLabel);
  if (nodes.length === 0) return null;
  const toggle = (path: string) =>
    setFolded((previous) => {
      const next = new Set(previous);
      if (!next.delete(path)) next.add(path);
      return next;
    });
  return (
    <ul className="label-tree">
      {nodes.map((node) => {
        const label = node.label;
        const isFolded = folded.has(node.path);
        return (
          <li key={node.path}>
            <div className="label-row">
              {node.children.length > 0 && (
                <button
                  type="button"
                  className="fold-toggle"
                  aria-expanded={!isFolded}
                  aria-label={`${isFolded ? 'Show' : 'Hide'} labels in ${node.path}`}
                  onClick={() => toggle(node.path)}
                >
                  {isFolded ? '▸' : '▾'}
                </button>
              )}
              {label ? (
                <SidebarItem
                  title={node.name}
                  tooltip={label.name}
                  unread={label.unread_thread_count}
                  active={current === label.id}
                  onSelect={() => onOpen(label)}
                  bare
                />
              ) : (
                <span className="sidebar-item muted" title={node.path}>
                  <span className="sidebar-name">{node.name}</span>
                </span>
              )}
              {label && isEditable(label) && (
                <span className="label-edit">
                  <button
                    type="button"
                    title={`New label in ${label.name}`}
                    aria-label={`New label in ${label.name}`}
                    onClick={() => onEdit({ kind: 'new', parent: label })}
                  >
                    +
                  </button>
                  <button
                    type="button"
                    title={`Rename ${label.name}`}
                    aria-label={`Rename ${label.name}`}
                    onClick={() => onEdit({ kind: 'rename', label })}
                  >
                    ✎
                  </button>
                  <button
                    type="button"
                    title={`Delete ${label.name}`}
                    aria-label={`Delete ${label.name}`}
                    onClick={() => {
                      if (window.confirm(`Delete "${label.name}"? Its conversations stay, without it.`))
                        void deleteLabel(label.id);
                    }}
                  >
                    ×
                  </button>
                </span>
              )}
            </div>
            {!isFolded && <LabelTreeList nodes={node.children} current={current} onOpen={onOpen} onEdit={onEdit} />}
          </li>
        );
      })}
    </ul>
  );
}

/** The inline box a label's name is typed in: Enter saves at the provider, Escape gives up; a refusal shows here. */
function LabelNameForm({ accountId, editing, onDone }: { accountId: string; editing: Editing; onDone(): void }) {
  const { createLabel, renameLabel } = useLabelStore.getState();
  const [name, setName] = useState(editing?.kind === 'rename' ? editing.label.name : '');
  const [error, setError] = useState<string | null>(null);
  if (!editing) return null;
  const title =
    editing.kind === 'rename'
      ? `Rename ${editing.label.name}`
      : editing.parent
        ? `New label in ${editing.parent.name}`
        : 'New label';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    try {
      if (editing.kind === 'rename') await renameLabel(editing.label.id, name.trim());
      else await createLabel(accountId, name.trim(), editing.parent?.id);
      onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form className="label-name-form" onSubmit={(e) => void submit(e)}>
      <input
        // biome-ignore lint/a11y/noAutofocus: the box opens because the user asked to type a name
        autoFocus
        aria-label={title}
        placeholder={title}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onDone();
          }
        }}
      />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
