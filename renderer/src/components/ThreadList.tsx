import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ThreadSummary } from '../../../shared/api/threads.ts';
import { formatListDate } from '../formatDate.ts';
import { useMailStore } from '../mailStore.ts';
import { chipLabels } from '../threadLabels.ts';
import { LabelPicker } from './LabelPicker.tsx';

const ROW_HEIGHT = 78;
/** Label chips a row shows before its subject; the rest as "+N". */
const MAX_CHIPS = 3;

/** The list of a label's threads, virtualized: only the visible rows exist in the DOM, so 100,000 threads scroll as smoothly as 100. */
export function ThreadList() {
  const threads = useMailStore((s) => s.threads);
  const status = useMailStore((s) => s.listStatus);
  const error = useMailStore((s) => s.listError);
  const nextCursor = useMailStore((s) => s.nextCursor);
  const openId = useMailStore((s) => s.openThread?.id);
  const selectThread = useMailStore((s) => s.selectThread);
  const loadMore = useMailStore((s) => s.loadMore);
  const checked = useMailStore((s) => s.checked);
  const toggleChecked = useMailStore((s) => s.toggleChecked);
  const checkRangeTo = useMailStore((s) => s.checkRangeTo);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: threads.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  // Fetch the next page before the user reaches the end.
  useEffect(() => {
    if (nextCursor && lastIndex >= threads.length - 20) void loadMore();
  }, [lastIndex, threads.length, nextCursor, loadMore]);

  // Keep the open thread in view when j/k moves past the edge.
  useEffect(() => {
    const index = threads.findIndex((t) => t.id === openId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [openId, threads, virtualizer]);

  return (
    <div className="thread-list" ref={scrollRef}>
      {checked.size > 0 && <BulkActions count={checked.size} />}
      {error && (
        <p role="alert" className="error">
          Could not load threads: {error}
        </p>
      )}
      {status !== 'loading' && !error && threads.length === 0 && <p className="empty">No conversations here.</p>}
      <div
        role="listbox"
        aria-label="Conversations"
        aria-busy={status === 'loading'}
        className="rows"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {items.map((item) => {
          const thread = threads[item.index] as ThreadSummary;
          return (
            <ThreadRow
              key={thread.id}
              thread={thread}
              position={item.index + 1}
              total={threads.length}
              top={item.start}
              selected={thread.id === openId}
              checked={checked.has(thread.id)}
              onOpen={(event) => {
                if (event.shiftKey) checkRangeTo(thread.id);
                else if (event.ctrlKey || event.metaKey) toggleChecked(thread.id);
                else void selectThread(thread.id);
              }}
            />
          );
        })}
      </div>
    </div>
  );
}

function ThreadRow({
  thread,
  position,
  total,
  top,
  selected,
  checked,
  onOpen,
}: {
  thread: ThreadSummary;
  position: number;
  total: number;
  top: number;
  selected: boolean;
  checked: boolean;
  onOpen: (event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }) => void;
}) {
  const senders = thread.participants.map((p) => p.name || p.email).join(', ') || '(no sender)';
  // Selected apart and combined here: a selector building a new array would re-render on every store change.
  const labels = useMailStore((s) => s.labels);
  const viewing = useMailStore((s) => (s.view.kind === 'label' ? s.view.label : null));
  const chips = useMemo(() => chipLabels(labels, thread.label_ids, viewing), [labels, thread.label_ids, viewing]);
  // In a unified view of several accounts, which one the conversation is in.
  const account = useMailStore((s) => (Object.keys(s.accountEmails).length > 1 ? s.accountEmails[thread.account_id] : undefined));
  return (
    <div
      role="option"
      aria-selected={selected}
      aria-setsize={total}
      aria-posinset={position}
      tabIndex={selected ? 0 : -1}
      className={`thread-row${thread.unread_count > 0 ? ' unread' : ''}${selected ? ' selected' : ''}${checked ? ' checked' : ''}`}
      data-checked={checked || undefined}
      data-thread-id={thread.id}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={onOpen}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onOpen(event);
        }
      }}
    >
      <span className="senders">
        {account && (
          <span className="account-dot" style={{ background: accountColor(thread.account_id) }} title={account}>
            <span className="sr-only">{account}: </span>
          </span>
        )}
        {senders}
        {thread.message_count > 1 && <span className="count"> {thread.message_count}</span>}
      </span>
      <time className="date" dateTime={thread.last_message_at}>
        {thread.is_starred && <StarIcon />}
        {thread.is_starred && <span className="sr-only">starred, </span>}
        {thread.has_attachments && <PaperclipIcon />}
        {thread.has_attachments && <span className="sr-only">has attachments, </span>}
        {formatListDate(thread.last_message_at)}
      </time>
      <span className="subject">
        {chips.slice(0, MAX_CHIPS).map((name) => (
          <span key={name} className="label-chip">
            {name}
          </span>
        ))}
        {chips.length > MAX_CHIPS && <span className="label-chip">+{chips.length - MAX_CHIPS}</span>}
        {thread.subject || '(no subject)'}
      </span>
      <span className="snippet">{thread.snippet}</span>
    </div>
  );
}

/** The toolbar over the list while threads are ticked. */
function BulkActions({ count }: { count: number }) {
  const actOnChecked = useMailStore((s) => s.actOnChecked);
  const clearChecked = useMailStore((s) => s.clearChecked);
  const [picker, setPicker] = useState<'label' | 'move' | null>(null);
  const threads = useMailStore((s) => s.threads);
  const checked = useMailStore((s) => s.checked);
  const ticked = threads.filter((t) => checked.has(t.id));
  // Labels belong to an account: offered when the ticked threads share one.
  const accounts = new Set(ticked.map((t) => t.account_id));
  const accountId = accounts.size === 1 ? [...accounts][0] : undefined;
  const onAll = ticked.length ? (ticked[0]?.label_ids ?? []).filter((id) => ticked.every((t) => t.label_ids.includes(id))) : [];
  const inSpamView = useMailStore((s) => s.view.kind === 'label' && s.view.label === 'spam');
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
      <span>{count} selected</span>
      {actions.map(([action, label]) => (
        <button key={action} type="button" onClick={() => void actOnChecked(action)}>
          {label}
        </button>
      ))}
      {accountId && (
        <>
          <button type="button" aria-expanded={picker === 'move'} onClick={() => setPicker(picker === 'move' ? null : 'move')}>
            Move to
          </button>
          <button type="button" aria-expanded={picker === 'label'} onClick={() => setPicker(picker === 'label' ? null : 'label')}>
            Label
          </button>
        </>
      )}
      <button type="button" onClick={clearChecked}>
        Clear
      </button>
      {picker && accountId && (
        <LabelPicker
          key={picker}
          kind={picker}
          accountId={accountId}
          applied={onAll}
          apply={(action, labelId) => actOnChecked(action, labelId)}
          onClose={() => setPicker(null)}
        />
      )}
    </div>
  );
}

/** Drawn, not an emoji: emoji fonts are missing on many Linux desktops. */
function PaperclipIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path
        d="M10.5 4.5 5.8 9.2a1.4 1.4 0 0 0 2 2l5-5a2.8 2.8 0 0 0-4-4l-5 5a4.2 4.2 0 0 0 6 6l4.2-4.2"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinecap="round"
      />
    </svg>
  );
}

function StarIcon() {
  return (
    <svg className="icon star" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path d="m8 1.5 1.9 4.1 4.5.5-3.4 3 1 4.4L8 11.3l-4 2.2 1-4.4-3.4-3 4.5-.5z" fill="currentColor" />
    </svg>
  );
}

const ACCOUNT_COLORS = ['#2f6fed', '#e8710a', '#12a594', '#c2185b', '#7b5cd6', '#6b8e23'];

/** A steady colour per account (its id hashed onto a small palette). */
function accountColor(accountId: string): string {
  let hash = 0;
  for (const char of accountId) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return ACCOUNT_COLORS[hash % ACCOUNT_COLORS.length] as string;
}
