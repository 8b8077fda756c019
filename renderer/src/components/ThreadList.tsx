import type { ThreadSummary } from '../../../shared/api/threads.ts';
import { formatListDate } from '../formatDate.ts';
import { useMailStore } from '../mailStore.ts';

export function ThreadList() {
  const threads = useMailStore((s) => s.threads);
  const status = useMailStore((s) => s.listStatus);
  const error = useMailStore((s) => s.listError);
  const nextCursor = useMailStore((s) => s.nextCursor);
  const openId = useMailStore((s) => s.openThread?.id);
  const selectThread = useMailStore((s) => s.selectThread);
  const loadMore = useMailStore((s) => s.loadMoreThreads);

  return (
    <section className="thread-list" aria-label="Threads">
      {error && (
        <p role="alert" className="error">
          Could not load threads: {error}
        </p>
      )}
      {status !== 'loading' && !error && threads.length === 0 && <p className="empty">No conversations here.</p>}
      <div role="listbox" aria-label="Conversations" className="rows">
        {threads.map((thread) => (
          <ThreadRow
            key={thread.id}
            thread={thread}
            selected={thread.id === openId}
            onOpen={() => void selectThread(thread.id)}
          />
        ))}
      </div>
      {nextCursor && (
        <button type="button" className="load-more" onClick={() => void loadMore()} disabled={status === 'loading'}>
          Load more
        </button>
      )}
    </section>
  );
}

function ThreadRow({ thread, selected, onOpen }: { thread: ThreadSummary; selected: boolean; onOpen: () => void }) {
  const senders = thread.participants.map((p) => p.name || p.email).join(', ') || '(no sender)';
  return (
    <div
      role="option"
      aria-selected={selected}
      tabIndex={0}
      className={`thread-row${thread.unread_count > 0 ? ' unread' : ''}${selected ? ' selected' : ''}`}
      data-thread-id={thread.id}
      onClick={onOpen}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onOpen();
        }
      }}
    >
      <span className="senders">
        {senders}
        {thread.message_count > 1 && <span className="count"> {thread.message_count}</span>}
      </span>
      <span className="subject">{thread.subject || '(no subject)'}</span>
      <span className="snippet">{thread.snippet}</span>
      <time className="date" dateTime={thread.last_message_at}>
        {formatListDate(thread.last_message_at)}
      </time>
    </div>
  );
}
