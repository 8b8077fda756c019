import type { Message } from '../../shared/api/threads.ts';

/** How many read messages in a row stay as headers before the middle of a thread folds into "N more". */
const FOLD_AFTER = 3;

/**
 * The rows of an open thread, oldest first: a message open (its body shown),
 * a message as a one-line header, or a fold standing for older read messages.
 */
export type ThreadRow = { kind: 'message'; message: Message; expanded: boolean } | { kind: 'fold'; messages: Message[] };

/**
 * As the best mail apps open a conversation: the newest message and the
 * unread ones open, the others as one-line headers, and each run of more than
 * FOLD_AFTER closed messages between the first and the newest folded into one
 * "N more" row. `toggled` holds the messages the reader opened or closed by
 * hand; `unfolded` the folds opened (by their first message's id);
 * `unreadWhenOpened` the messages that were unread as the thread opened (they
 * stay open once opening has marked them read).
 */
export function threadRows(
  messages: readonly Message[],
  toggled: ReadonlySet<string>,
  unfolded: ReadonlySet<string>,
  unreadWhenOpened: ReadonlySet<string> = new Set(),
): ThreadRow[] {
  const last = messages.length - 1;
  const expanded = messages.map((message, i) => {
    const byDefault = openByDefault(message, i === last, unreadWhenOpened);
    return toggled.has(message.id) ? !byDefault : byDefault;
  });
  const rows: ThreadRow[] = [];
  let i = 0;
  while (i < messages.length) {
    let end = i;
    // The first and the newest message never fold.
    if (i > 0) while (end < last && !expanded[end]) end++;
    if (end - i > FOLD_AFTER && !unfolded.has((messages[i] as Message).id)) {
      rows.push({ kind: 'fold', messages: messages.slice(i, end) });
    } else {
      end = Math.max(end, i + 1);
      for (let j = i; j < end; j++)
        rows.push({ kind: 'message', message: messages[j] as Message, expanded: expanded[j] as boolean });
    }
    i = end;
  }
  return rows;
}

export function openByDefault(message: Message, isNewest: boolean, unreadWhenOpened: ReadonlySet<string>): boolean {
  return isNewest || message.is_unread || unreadWhenOpened.has(message.id);
}
