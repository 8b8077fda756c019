import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Message, Thread } from '../../../shared/api/threads.ts';
import { useComposeStore } from '../composeStore.ts';
import { formatLongDate } from '../formatDate.ts';
import { useLabelStore } from '../mail/labelStore.ts';
import { usePickerStore } from '../mail/pickerStore.ts';
import { useReaderStore } from '../mail/readerStore.ts';
import { actOnOpenThread } from '../mail/threadActions.ts';
import { inSpam, isDraft } from '../threadLabels.ts';
import { openByDefault, threadRows } from '../threadLayout.ts';
import { AttachmentList } from './Attachments.tsx';
import { LabelPicker } from './LabelPicker.tsx';
import { MessageBody } from './MessageBody.tsx';
import { MessageSource } from './MessageSource.tsx';

export function ThreadView() {
  const { thread, status, error, actionError, showActionError, closeThread } = useReaderStore(
    useShallow((s) => ({
      thread: s.openThread,
      status: s.status,
      error: s.error,
      actionError: s.actionError,
      showActionError: s.showActionError,
      closeThread: s.closeThread,
    })),
  );

  if (error)
    return (
      <section className="thread-view" role="alert">
        <div className="thread-toolbar">
          <button type="button" className="back-button" onClick={closeThread}>
            ← Back
          </button>
        </div>
        Could not open the thread: {error}
      </section>
    );
  if (!thread) {
    return (
      <section className="thread-view empty" aria-label="Reading pane">
        {status === 'loading' ? 'Loading…' : 'Select a conversation to read it.'}
      </section>
    );
  }
  return (
    <section className="thread-view" aria-label="Reading pane">
      <ThreadToolbar thread={thread} />
      {actionError && (
        <p className="error action-error" role="alert">
          That did not work: {actionError}{' '}
          <button type="button" className="link-button" onClick={() => showActionError(null)}>
            Dismiss
          </button>
        </p>
      )}
      {/* A new thread starts with its own open and closed messages. */}
      <ThreadMessages key={thread.id} thread={thread} />
    </section>
  );
}

/** The thread's messages, newest and unread open, the others as headers to open, long read runs folded. */
function ThreadMessages({ thread }: { thread: Thread }) {
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const [unfolded, setUnfolded] = useState<ReadonlySet<string>>(new Set());
  const [unreadWhenOpened] = useState<ReadonlySet<string>>(
    () => new Set(thread.messages.filter((m) => m.is_unread).map((m) => m.id)),
  );
  const rows = threadRows(thread.messages, toggled, unfolded, unreadWhenOpened);
  const toggle = (id: string) =>
    setToggled((previous) => {
      const next = new Set(previous);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const allOpen = rows.every((r) => r.kind === 'message' && r.expanded);
  // A conversation of drafts only (opened from Drafts) opens in compose, as mail clients do; the reader stays behind it.
  const labels = useLabelStore((s) => s.labels);
  const editDraft = useComposeStore((s) => s.editDraft);
  const onlyDrafts = labels.length > 0 && thread.messages.every((m) => isDraft(labels, m.label_ids));
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per thread (this component is keyed by it)
  useEffect(() => {
    const last = thread.messages.at(-1);
    if (onlyDrafts && last) void editDraft(last.id);
  }, [onlyDrafts]);
  const setAll = (open: boolean) => {
    setUnfolded(new Set(thread.messages.map((m) => m.id)));
    const last = thread.messages.length - 1;
    // A toggle flips the default: open all = toggle every closed-by-default message, and the reverse.
    setToggled(
      new Set(thread.messages.filter((m, i) => openByDefault(m, i === last, unreadWhenOpened) !== open).map((m) => m.id)),
    );
  };
  return (
    <>
      <div className="thread-heading">
        <h2 className="thread-subject">{thread.subject || '(no subject)'}</h2>
        {thread.messages.length > 1 && (
          <button type="button" className="link-button" onClick={() => setAll(!allOpen)}>
            {allOpen ? 'Collapse all' : 'Expand all'}
          </button>
        )}
      </div>
      {rows.map((row) =>
        row.kind === 'fold' ? (
          <button
            key={`fold-${row.messages[0]?.id}`}
            type="button"
            className="message-fold"
            onClick={() => setUnfolded((previous) => new Set([...previous, row.messages[0]?.id ?? '']))}
          >
            {row.messages.length} more messages
          </button>
        ) : (
          <MessageCard
            key={row.message.id}
            message={row.message}
            expanded={row.expanded}
            answerable={thread.messages.length > 1}
            onToggle={() => toggle(row.message.id)}
          />
        ),
      )}
    </>
  );
}

function MessageCard({
  message,
  expanded,
  answerable,
  onToggle,
}: {
  message: Message;
  expanded: boolean;
  /** One of several: it can be answered on its own (the toolbar answers the newest). */
  answerable: boolean;
  onToggle(): void;
}) {
  const to = message.to.map((a) => a.name || a.email).join(', ');
  const sender = message.from ? message.from.name || message.from.email : '(unknown sender)';
  return (
    <article
      className={`message${expanded ? '' : ' collapsed'}`}
      aria-label={`Message from ${message.from?.name || message.from?.email || 'unknown'}`}
    >
      {/* The header opens and closes the message (a button, so keyboard and screen readers reach it). */}
      <button type="button" className="message-header" aria-expanded={expanded} onClick={onToggle}>
        <strong className="from">{sender}</strong>
        {expanded && message.from?.name && <span className="address"> &lt;{message.from.email}&gt;</span>}
        {!expanded && <span className="message-snippet">{message.snippet}</span>}
        {!expanded && message.attachments.length > 0 && (
          <span className="attachment-mark" title={`${message.attachments.length} attachments`}>
            📎
          </span>
        )}
        <time dateTime={message.date}>{formatLongDate(message.date)}</time>
        {expanded && to && <span className="to">to {to}</span>}
      </button>
      {expanded && (
        <>
          <MessageBody message={message} />
          <AttachmentList message={message} />
          <MessageActions message={message} answerable={answerable} />
        </>
      )}
    </article>
  );
}

/**
 * This message's own actions: in a conversation of several, Reply, Reply all and Forward answer
 * it rather than the newest (a single message is answered from the thread's toolbar); Show original.
 */
function MessageActions({ message, answerable }: { message: Message; answerable: boolean }) {
  const reply = useComposeStore((s) => s.reply);
  const editDraft = useComposeStore((s) => s.editDraft);
  const draft = useLabelStore((s) => isDraft(s.labels, message.label_ids));
  const [showingSource, setShowingSource] = useState(false);
  const who = message.from?.name || message.from?.email || 'this message';
  return (
    <>
      <div className="message-actions" role="toolbar" aria-label={`${who}'s message`}>
        {draft && (
          <button type="button" onClick={() => void editDraft(message.id)}>
            Edit draft
          </button>
        )}
        {answerable && (
          <>
            <button type="button" onClick={() => void reply('reply', message.id)}>
              Reply
            </button>
            <button type="button" onClick={() => void reply('replyAll', message.id)}>
              Reply all
            </button>
            <button type="button" onClick={() => void reply('forward', message.id)}>
              Forward
            </button>
          </>
        )}
        <button type="button" className="source-button" onClick={() => setShowingSource(true)}>
          Show original
        </button>
      </div>
      {showingSource && <MessageSource message={message} onClose={() => setShowingSource(false)} />}
    </>
  );
}

function ThreadToolbar({ thread }: { thread: Thread }) {
  const unread = thread.unread_count > 0;
  const starred = thread.messages.some((m) => m.is_starred);
  const act = actOnOpenThread;
  const { picker, setPicker } = usePickerStore(useShallow((s) => ({ picker: s.picker, setPicker: s.setPicker })));
  const reply = useComposeStore((s) => s.reply);
  const closeThread = useReaderStore((s) => s.closeThread);
  const spam = useLabelStore((s) => inSpam(s.labels, thread.label_ids));
  return (
    <div className="thread-toolbar" role="toolbar" aria-label="Thread actions">
      {/* Shown only when the window is too narrow for the list beside the thread. */}
      <button type="button" className="back-button" onClick={closeThread} title="Back to the list (u)">
        ← Back
      </button>
      <button type="button" onClick={() => void reply('reply')} title="Reply (r)">
        Reply
      </button>
      <button type="button" onClick={() => void reply('replyAll')} title="Reply all (a)">
        Reply all
      </button>
      <button type="button" onClick={() => void reply('forward')} title="Forward (f)">
        Forward
      </button>
      <button type="button" onClick={() => void act('archive')} title="Archive (e)">
        Archive
      </button>
      <button type="button" onClick={() => void act('trash')} title="Delete (#)">
        Delete
      </button>
      <button type="button" onClick={() => void act(spam ? 'not_spam' : 'spam')} title={spam ? 'Not spam' : 'Report spam (!)'}>
        {spam ? 'Not spam' : 'Report spam'}
      </button>
      <button
        type="button"
        aria-expanded={picker === 'move'}
        onClick={() => setPicker(picker === 'move' ? null : 'move')}
        title="Move to (v)"
      >
        Move to
      </button>
      <button
        type="button"
        aria-expanded={picker === 'label'}
        onClick={() => setPicker(picker === 'label' ? null : 'label')}
        title="Label (l)"
      >
        Label
      </button>
      {picker && (
        <LabelPicker
          key={picker}
          kind={picker}
          accountId={thread.account_id}
          applied={thread.label_ids}
          apply={(action, labelId) => act(action, labelId)}
          onClose={() => setPicker(null)}
        />
      )}
      <button type="button" onClick={() => void act(unread ? 'mark_read' : 'mark_unread')} title="Mark unread (Shift+U)">
        {unread ? 'Mark read' : 'Mark unread'}
      </button>
      <button type="button" aria-pressed={starred} onClick={() => void act(starred ? 'unstar' : 'star')} title="Star (s)">
        {starred ? 'Unstar' : 'Star'}
      </button>
    </div>
  );
}
