import type { Message } from '../../../shared/api/threads.ts';
import { useComposeStore } from '../composeStore.ts';
import { formatLongDate } from '../formatDate.ts';
import { useMailStore } from '../mailStore.ts';
import { AttachmentList } from './Attachments.tsx';
import { MessageBody } from './MessageBody.tsx';

export function ThreadView() {
  const thread = useMailStore((s) => s.openThread);
  const status = useMailStore((s) => s.threadStatus);
  const error = useMailStore((s) => s.threadError);

  if (error)
    return (
      <section className="thread-view" role="alert">
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
      <ThreadToolbar unread={thread.unread_count > 0} starred={thread.messages.some((m) => m.is_starred)} />
      <h2 className="thread-subject">{thread.subject || '(no subject)'}</h2>
      {thread.messages.map((message) => (
        <MessageCard key={message.id} message={message} />
      ))}
    </section>
  );
}

function MessageCard({ message }: { message: Message }) {
  const to = message.to.map((a) => a.name || a.email).join(', ');
  return (
    <article className="message" aria-label={`Message from ${message.from?.name || message.from?.email || 'unknown'}`}>
      <header className="message-header">
        <strong className="from">{message.from ? message.from.name || message.from.email : '(unknown sender)'}</strong>
        {message.from?.name && <span className="address"> &lt;{message.from.email}&gt;</span>}
        <time dateTime={message.date}>{formatLongDate(message.date)}</time>
        {to && <div className="to">to {to}</div>}
      </header>
      <MessageBody message={message} />
      <AttachmentList message={message} />
    </article>
  );
}

function ThreadToolbar({ unread, starred }: { unread: boolean; starred: boolean }) {
  const act = useMailStore((s) => s.act);
  const reply = useComposeStore((s) => s.reply);
  return (
    <div className="thread-toolbar" role="toolbar" aria-label="Thread actions">
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
      <button type="button" onClick={() => void act(unread ? 'mark_read' : 'mark_unread')} title="Mark unread (Shift+U)">
        {unread ? 'Mark read' : 'Mark unread'}
      </button>
      <button type="button" aria-pressed={starred} onClick={() => void act(starred ? 'unstar' : 'star')} title="Star (s)">
        {starred ? 'Unstar' : 'Star'}
      </button>
    </div>
  );
}
