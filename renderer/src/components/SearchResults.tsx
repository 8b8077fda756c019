import { useShallow } from 'zustand/react/shallow';
import type { SearchHit } from '../../../shared/api/search.ts';
import { formatListDate } from '../formatDate.ts';
import { useListStore } from '../mail/listStore.ts';
import { useReaderStore } from '../mail/readerStore.ts';

/** Search hits with the matched words marked: segments are rendered as text, never as HTML. */
export function SearchResults() {
  const { hits, status, error, nextCursor, loadMore } = useListStore(
    useShallow((s) => ({ hits: s.hits, status: s.status, error: s.error, nextCursor: s.nextCursor, loadMore: s.loadMore })),
  );
  const openId = useReaderStore((s) => s.openThread?.id);
  const selectThread = useReaderStore((s) => s.selectThread);

  return (
    <div className="thread-list">
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {status === 'idle' && !error && hits.length === 0 && <p className="empty">No messages match.</p>}
      <div role="listbox" aria-label="Search results">
        {hits.map((hit) => (
          <div
            key={hit.message_id}
            role="option"
            tabIndex={-1}
            aria-selected={hit.thread_id === openId}
            className={`thread-row search-hit${hit.is_unread ? ' unread' : ''}${hit.thread_id === openId ? ' selected' : ''}`}
            onClick={() => void selectThread(hit.thread_id)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') void selectThread(hit.thread_id);
            }}
          >
            <span className="senders">{hit.from ? hit.from.name || hit.from.email : '(no sender)'}</span>
            <time className="date" dateTime={hit.date}>
              {formatListDate(hit.date)}
            </time>
            <span className="subject">{hit.subject ? <Highlighted segments={hit.subject_highlight} /> : '(no subject)'}</span>
            <span className="snippet">
              <Highlighted segments={hit.highlight} />
            </span>
          </div>
        ))}
      </div>
      {nextCursor && (
        <button type="button" className="load-more" onClick={() => void loadMore()}>
          More results
        </button>
      )}
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
