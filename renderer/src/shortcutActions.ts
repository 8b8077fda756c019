import { type CalendarMode, useCalendarStore } from './calendarStore.ts';
import { useComposeStore } from './composeStore.ts';
import { useListStore } from './mail/listStore.ts';
import { INBOX_VIEW, useNavigationStore } from './mail/navigationStore.ts';
import { usePickerStore } from './mail/pickerStore.ts';
import { useReaderStore } from './mail/readerStore.ts';
import { useSelectionStore } from './mail/selectionStore.ts';
import { actOnChecked, actOnOpenThread } from './mail/threadActions.ts';
import { useUndoStore } from './mail/undoStore.ts';
import type { ShortcutActions } from './useKeyboardShortcuts.ts';

/** What the keys do to the stores; `page` holds what lives in the page itself (the search box, the shortcuts help). */
export function shortcutActions(page: {
  focusSearch(): void;
  toggleHelp(): void;
  /** Closes the shortcuts help if it is open; false when it was not. */
  closeHelp(): boolean;
}): ShortcutActions {
  // With threads ticked, e, # and ! act on all of them; otherwise on the open thread.
  const onTickedOrOpen = (action: 'archive' | 'trash' | 'spam') =>
    void (useSelectionStore.getState().checked.size ? actOnChecked(action) : actOnOpenThread(action));
  return {
    archive: () => onTickedOrOpen('archive'),
    trash: () => onTickedOrOpen('trash'),
    reportSpam: () => onTickedOrOpen('spam'),
    toggleChecked: () => {
      const open = useReaderStore.getState().openThread;
      if (open) useSelectionStore.getState().toggleChecked(open.id);
    },
    toggleStar: () =>
      void actOnOpenThread(useReaderStore.getState().openThread?.messages.some((m) => m.is_starred) ? 'unstar' : 'star'),
    markUnread: () => void actOnOpenThread('mark_unread'),
    next: () => void useReaderStore.getState().step(1),
    previous: () => void useReaderStore.getState().step(-1),
    focusSearch: page.focusSearch,
    goInbox: () => void useListStore.getState().showLabel(INBOX_VIEW.label, INBOX_VIEW.title),
    toggleHelp: page.toggleHelp,
    // Esc closes what is on top: the shortcuts, else an event's details, else the conversation (back to the list).
    escape: (inField) => {
      if (page.closeHelp()) return;
      const section = useNavigationStore.getState().section;
      if (section === 'calendar') useCalendarStore.getState().select(null);
      else if (section === 'mail' && !inField) useReaderStore.getState().closeThread();
    },
    // c writes a message, or in the calendar creates an event.
    compose: () =>
      useNavigationStore.getState().section === 'calendar'
        ? useCalendarStore.getState().edit('new')
        : useComposeStore.getState().compose(),
    reply: () => void useComposeStore.getState().reply('reply'),
    replyAll: () => void useComposeStore.getState().reply('replyAll'),
    forward: () => void useComposeStore.getState().reply('forward'),
    undo: () => void useUndoStore.getState().undoLast(),
    label: () => usePickerStore.getState().setPicker('label'),
    moveTo: () => usePickerStore.getState().setPicker('move'),
    backToList: () => useReaderStore.getState().closeThread(),
    selectAll: () => useSelectionStore.getState().checkAll(),
    selectNone: () => useSelectionStore.getState().clearChecked(),
    goCalendar: () => useNavigationStore.getState().showCalendar(),
    section: () => {
      const section = useNavigationStore.getState().section;
      return section === 'mail' || section === 'calendar' ? section : 'other';
    },
    calendar: {
      view: (mode: CalendarMode) => void useCalendarStore.getState().setMode(mode),
      today: () => void useCalendarStore.getState().today(),
      step: (delta: number) => void useCalendarStore.getState().move(delta),
    },
  };
}
