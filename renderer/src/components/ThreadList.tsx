import { useVirtualizer } from '@tanstack/react-virtual';
import { type RefObject, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SearchHit } from '../../../shared/api/search.ts';
import { formatListDate } from '../formatDate.ts';
import { useLabelStore } from '../mail/labelStore.ts';
import { useListStore } from '../mail/listStore.ts';
import { useNavigationStore } from '../mail/navigationStore.ts';
import { useReaderStore } from '../mail/readerStore.ts';
import { listsWrittenMail, rowPeople } from '../mail/rowPeople.ts';
import { useSelectionStore } from '../mail/selectionStore.ts';
import { actOnRow } from '../mail/threadActions.ts';
import { chipLabels, inInbox } from '../threadLabels.ts';
import { BulkActions } from './BulkActions.tsx';

const ROW_HEIGHT = 78;
/** Label chips a row shows before its subject; the rest as "+N". */
const MAX_CHIPS = 3;

/**
 * The list of a label's threads or a search's conversations, virtualized: only the visible rows exist in
 * the DOM, so 100,000 threads scroll as smoothly as 100.
 */
export function ThreadList() {
  const { ids, status, error, nextCursor, loadMore } = useListStore(
    useShallow((s) => ({ ids: s.ids, status: s.status, error: s.error, nextCursor: s.nextCursor, loadMore: s.loadMore })),
  );
  const query = useNavigationStore((s) => (s.view.kind === 'search' ? s.view.query : null));
  const openId = useReaderStore((s) => s.openThread?.id);
  const selectThread = useReaderStore((s) => s.selectThread);
  const { checked, toggleChecked, checkRangeTo } = useSelectionStore(
    useShallow((s) => ({ checked: s.checked, toggleChecked: s.toggleChecked, checkRangeTo: s.checkRangeTo })),
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  // Fetch the next page before the user reaches the end.
  useEffect(() => {
    if (nextCursor && lastIndex >= ids.length - 20) void loadMore();
  }, [lastIndex, ids.length, nextCursor, loadMore]);

  useKeepRowsInPlace(scrollRef, ids);
  useKeepScrollWhileReading(scrollRef);

  // Keep the open thread in view when j/k moves past the edge (not when rows arrive or leave around it).
  useEffect(() => {
    const index = useListStore.getState().ids.indexOf(openId ?? '');
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [openId, virtualizer]);

  // The row under the pointer (by position, so moving onto its buttons keeps it): its hover actions show.
  const [hovered, setHovered] = useState<number | null>(null);
  const hoveredId = hovered === null ? undefined : ids[hovered];

  return (
    <>
      <BulkActions />
      <div className="thread-list" ref={scrollRef}>
        {error && (
          <p role="alert" className="error">
            {query === null ? `Could not load threads: ${error}` : error}
          </p>
        )}
        {status !== 'loading' && !error && ids.length === 0 && (
          <p className="empty">{query === null ? 'No conversations here.' : `No conversations match ${query}.`}</p>
        )}
        {/* biome-ignore lint/a11y/noStaticElementInteractions: tracks the pointer for hover buttons only; keys act through shortcuts and the ticks */}
        <div
          className="rows-frame"
          style={{ height: virtualizer.getTotalSize() }}
          onMouseMove={(event) => {
            const index = Math.floor((event.clientY - event.currentTarget.getBoundingClientRect().top) / ROW_HEIGHT);
            if (index !== hovered) setHovered(index);
          }}
          onMouseLeave={() => setHovered(null)}
        >
          <div
            role="listbox"
            aria-label={query === null ? 'Conversations' : 'Search results'}
            aria-busy={status === 'loading'}
            className="rows"
            style={{ height: virtualizer.getTotalSize() }}
          >
            {items.map((item) => {
              const id = ids[item.index] as string;
              return (
                <ThreadRow
                  key={id}
                  id={id}
                  position={item.index + 1}
                  total={ids.length}
                  top={item.start}
                  selected={id === openId}
                  checked={checked.has(id)}
                  onOpen={(event) => {
                    if (event.shiftKey) checkRangeTo(id);
                    else if (event.ctrlKey || event.metaKey) toggleChecked(id);
                    else void selectThread(id);
                  }}
                />
              );
            })}
          </div>
          {/* Beside the listbox, not in its options (an option holds no controls): each row's box, over the row's left edge. */}
          <div className="row-ticks">
            {items.map((item) => {
              const id = ids[item.index] as string;
              return (
                <RowTick
                  key={id}
                  id={id}
                  top={item.start}
                  checked={checked.has(id)}
                  onTick={(shiftKey) => (shiftKey ? checkRangeTo(id) : toggleChecked(id))}
                />
              );
            })}
          </div>
          {hoveredId && hovered !== null && <RowActions id={hoveredId} top={hovered * ROW_HEIGHT} />}
        </div>
      </div>
    </>
  );
}

/** A row's tick box: Space or a click ticks it, Shift-click ticks the range from the last one. */
function RowTick({
  id,
  top,
  checked,
  onTick,
}: {
  id: string;
  top: number;
  checked: boolean;
  onTick: (shiftKey: boolean) => void;
}) {
  const subject = useListStore((s) => s.threads[id]?.subject);
  return (
    <span className="row-tick" style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}>
      <input
        type="checkbox"
        aria-label={`Select conversation: ${subject || '(no subject)'}`}
        checked={checked}
        onMouseDown={(event) => {
          if (event.shiftKey) event.preventDefault(); // a range, not a text selection
        }}
        onClick={(event) => onTick(event.shiftKey)}
        onChange={() => undefined}
      />
    </span>
  );
}

/** Gmail's buttons on the row under the pointer, over its date: archive, delete, read or unread, star or unstar. */
function RowActions({ id, top }: { id: string; top: number }) {
  const thread = useListStore((s) => s.threads[id]);
  if (!thread) return null;
  const unread = thread.unread_count > 0;
  const subject = thread.subject || '(no subject)';
  const buttons = [
    ['archive', 'Archive', ARCHIVE_ICON],
    ['trash', 'Delete', TRASH_ICON],
    unread ? (['mark_read', 'Mark as read', READ_ICON] as const) : (['mark_unread', 'Mark as unread', UNREAD_ICON] as const),
    thread.is_starred ? (['unstar', 'Unstar', STAR_ICON] as const) : (['star', 'Star', STAR_ICON] as const),
  ] as const;
  return (
    <div
      className="row-actions"
      role="toolbar"
      aria-label={`Actions on ${subject}`}
      style={{ transform: `translateY(${top + 4}px)` }}
    >
      {buttons.map(([action, label, path]) => (
        <button key={action} type="button" title={label} aria-label={label} onClick={() => void actOnRow(id, action)}>
          <svg className="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d={path} fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
          </svg>
        </button>
      ))}
    </div>
  );
}

const ARCHIVE_ICON = 'M2 3h12v3H2zM3 6v7h10V6M6.5 8.5h3';
const TRASH_ICON = 'M3 4h10M6 4V2.5h4V4M4.5 4l.7 9.5h5.6l.7-9.5M7 6.5v5M9 6.5v5';
const READ_ICON = 'M2 6.5 8 2.5l6 4V13H2zM2 6.5l6 4 6-4';
const UNREAD_ICON = 'M2 4h12v9H2zM2 4l6 5 6-5';
const STAR_ICON = 'm8 1.5 1.9 4.1 4.5.5-3.4 3 1 4.4L8 11.3l-4 2.2 1-4.4-3.4-3 4.5-.5z';

/**
 * Rows patched in or out above the ones in view (new mail at the top, a thread archived elsewhere)
 * leave the rows being read where they are: the first row in view keeps its place on screen. At the
 * very top nothing is held, so new mail shows there.
 */
function useKeepRowsInPlace(scrollRef: RefObject<HTMLDivElement | null>, ids: readonly string[]) {
  const previous = useRef(ids);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    const before = previous.current;
    previous.current = ids;
    if (!element || before === ids || element.scrollTop === 0) return;
    const firstInView = Math.floor(element.scrollTop / ROW_HEIGHT);
    // The first row in view before the change that is still listed, and where it is now.
    for (let i = firstInView; i < before.length; i++) {
      const now = ids.indexOf(before[i] as string);
      if (now < 0) continue;
      element.scrollTop += (now - i) * ROW_HEIGHT;
      return;
    }
  }, [scrollRef, ids]);
}

function ThreadRow({
  id,
  position,
  total,
  top,
  selected,
  checked,
  onOpen,
}: {
  id: string;
  position: number;
  total: number;
  top: number;
  selected: boolean;
  checked: boolean;
  onOpen: (event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }) => void;
}) {
  // Its own summary from the cache: a patch of one thread re-renders its row alone.
  const thread = useListStore((s) => s.threads[id]);
  // Selected apart and combined here: a selector building a new array would re-render on every store change.
  const labels = useLabelStore((s) => s.labels);
  const viewing = useNavigationStore((s) => (s.view.kind === 'label' ? s.view.label : null));
  const labelIds = thread?.label_ids;
  const chips = useMemo(() => chipLabels(labels, labelIds ?? [], viewing), [labels, labelIds, viewing]);
  // In a unified view of several accounts, which one the conversation is in.
  const account = useLabelStore((s) =>
    thread && Object.keys(s.accountEmails).length > 1 ? s.accountEmails[thread.account_id] : undefined,
  );
  // In a search: the match's marked subject and passage, and an Inbox chip (as Gmail's results show).
  const hit = useListStore((s) => s.hits[id]);
  const inboxChip = useLabelStore((s) => Boolean(hit && thread && inInbox(s.labels, thread.label_ids)));
  const written = useNavigationStore((s) => listsWrittenMail(s.view));
  if (!thread) return null;
  const senders = rowPeople(thread, written);
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
      onMouseDown={(event) => {
        if (event.shiftKey) event.preventDefault(); // a range of ticks, not a text selection
      }}
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
        {inboxChip && <span className="label-chip">Inbox</span>}
        {chips.slice(0, MAX_CHIPS).map((name) => (
          <span key={name} className="label-chip">
            {name}
          </span>
        ))}
        {chips.length > MAX_CHIPS && <span className="label-chip">+{chips.length - MAX_CHIPS}</span>}
        {hit && thread.subject ? <Highlighted segments={hit.subject_highlight} /> : thread.subject || '(no subject)'}
      </span>
      <span className="snippet">{hit ? <Highlighted segments={hit.highlight} /> : thread.snippet}</span>
    </div>
  );
}

/** Text with the matched words marked: rendered as text, never as HTML. */
function Highlighted({ segments }: { segments: SearchHit['highlight'] }) {
  return segments.map((segment, index) =>
    // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond their position
    segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
  );
}

/**
 * A narrow window hides the list while a conversation is read, and a hidden box forgets its scroll:
 * the list comes back where it was left. A new view (another label, another search) starts at the top.
 */
function useKeepScrollWhileReading(scrollRef: RefObject<HTMLDivElement | null>) {
  const reading = useReaderStore((s) => s.openThread !== null || s.status !== 'idle');
  const view = useNavigationStore((s) => s.view);
  const left = useRef(0);
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    let hidden = element.clientHeight === 0;
    // Only while shown: hiding the list scrolls it to 0, which is not where the reader left it.
    const remember = () => {
      if (!hidden && element.clientHeight > 0) left.current = element.scrollTop;
    };
    // Shown again: back where it was, once laid out (and once more after the rows are drawn).
    const shownAgain = new ResizeObserver(() => {
      const wasHidden = hidden;
      hidden = element.clientHeight === 0;
      if (!wasHidden || hidden) return;
      element.scrollTop = left.current;
      requestAnimationFrame(() => {
        if (!hidden) element.scrollTop = left.current;
      });
    });
    shownAgain.observe(element);
    element.addEventListener('scroll', remember, { passive: true });
    return () => {
      shownAgain.disconnect();
      element.removeEventListener('scroll', remember);
    };
  }, [scrollRef]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the view changes (a new list starts at its top)
  useLayoutEffect(() => {
    left.current = 0;
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [scrollRef, view]);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!reading && element && element.clientHeight > 0 && element.scrollTop !== left.current) element.scrollTop = left.current;
  }, [scrollRef, reading]);
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
