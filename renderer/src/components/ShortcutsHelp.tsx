import { useEffect, useRef } from 'react';

/** Mail keys; the calendar's are listed apart (the same letters mean other things there). */
export const SHORTCUTS: Array<[string, string]> = [
  ['j / k', 'Next / previous conversation'],
  ['u', 'Back to the list (closes the conversation)'],
  ['c', 'Compose a new message'],
  ['r / a / f', 'Reply / reply all / forward'],
  ['Ctrl+Enter', 'Send the message being written'],
  ['e', 'Archive (every ticked conversation when some are ticked)'],
  ['x', 'Tick or untick the open conversation (Ctrl/Cmd-click, Shift-click for a range)'],
  ['* then a / * then n', 'Tick every loaded conversation / none'],
  ['#', 'Delete'],
  ['!', 'Report spam (Not spam is on the toolbar in Spam)'],
  ['z', 'Undo the last archive, delete or spam report'],
  ['s', 'Star or unstar'],
  ['l / v', 'Label / move the open conversation (type to narrow the list)'],
  ['Shift+U', 'Mark unread'],
  ['/', 'Search'],
  ['g then i', 'Go to the inbox'],
  ['g then c', 'Go to the calendar'],
  ['Esc', 'Back to the list from a conversation; leave search (in the box); close this help or an event'],
  ['?', 'Show or hide these shortcuts'],
];

export const CALENDAR_SHORTCUTS: Array<[string, string]> = [
  ['d / w / m / a', 'Day / week / month / agenda'],
  ['t', 'Today'],
  ['c', 'New event'],
  ['j or n / k or p', 'Next / previous day, week or month'],
  ['Arrow keys', 'Move between days of the month (Enter opens the day)'],
];

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title">
      <div className="dialog">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <ShortcutTable caption="Mail" rows={SHORTCUTS} />
        <ShortcutTable caption="Calendar" rows={CALENDAR_SHORTCUTS} />
        <button type="button" ref={closeButton} onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

function ShortcutTable({ caption, rows }: { caption: string; rows: Array<[string, string]> }) {
  return (
    <table>
      <caption>{caption}</caption>
      <tbody>
        {rows.map(([keys, action]) => (
          <tr key={keys}>
            <th scope="row">
              <kbd>{keys}</kbd>
            </th>
            <td>{action}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
