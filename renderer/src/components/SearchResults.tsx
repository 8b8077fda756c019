import type { SearchHit } from '../../../shared/api/search.ts';
import { formatListDate } from '../formatDate.ts';
import { useMailStore } from '../mailStore.ts';

/** Search hits with the matched words marked: segments are rendered as text, never as HTML. */
export function SearchResults() {
  const hits = useMailStore((s) => s.hits);
  const status = useMailStore((s) => s.listStatus);
  const error = useMailStore((s) => s.listError);
  const nextCursor = useMailStore((s) => s.nextCursor);
  const openId = useMailStore((s) => s.openThread?.id);
  const selectThread = useMailStore((s) => s.selectThread);
  const loadMore = useMailStore((s) => s.loadMore);

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
