import { useEffect } from 'react';

export interface ShortcutActions {
  archive(): void;
  trash(): void;
  reportSpam(): void;
  toggleStar(): void;
  markUnread(): void;
  next(): void;
  previous(): void;
  focusSearch(): void;
  goInbox(): void;
  toggleHelp(): void;
  /** Esc; `inField` when typing or a dialog is open (they take their own Esc). */
  escape(inField: boolean): void;
  compose(): void;
  reply(): void;
  replyAll(): void;
  forward(): void;
  toggleChecked(): void;
  label(): void;
  moveTo(): void;
  undo(): void;
  backToList(): void;
  selectAll(): void;
  selectNone(): void;
  goCalendar(): void;
  /** Which part of the app has the screen: the mail keys act only on mail, the calendar's only on the calendar. */
  section(): 'mail' | 'calendar' | 'other';
  calendar: CalendarShortcutActions;
}

/** Google Calendar's keys: d / w / m / a pick the view, t is today, j or n the next span, k or p the previous. */
export interface CalendarShortcutActions {
  view(mode: 'day' | 'week' | 'month' | 'agenda'): void;
  today(): void;
  step(delta: number): void;
}

const CALENDAR_VIEWS = { d: 'day', w: 'week', m: 'month', a: 'agenda' } as const;

/** Acts on a calendar key; false when the key is not one of them. */
function calendarKey(key: string, calendar: CalendarShortcutActions): boolean {
  if (key in CALENDAR_VIEWS) calendar.view(CALENDAR_VIEWS[key as keyof typeof CALENDAR_VIEWS]);
  else if (key === 't') calendar.today();
  else if (key === 'j' || key === 'n') calendar.step(1);
  else if (key === 'k' || key === 'p') calendar.step(-1);
  else return false;
  return true;
}

/**
 * Gmail-style single-key shortcuts; ignored while typing in a field. "g" starts a two-key sequence.
 * Keys that name something on screen (j/k, e, r …) act only where that thing is: the mail keys never
 * reach a conversation hidden behind the calendar or Settings.
 */
export function useKeyboardShortcuts(actions: ShortcutActions): void {
  useEffect(() => {
    let pendingG = false;
    let pendingStar = false;
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
      if (event.key === 'Escape')
        return actions.escape(Boolean(typing) || document.querySelector('[aria-modal="true"]') !== null);
      if (typing) return;
      // Inside a message being written (its buttons), keys are the compose window's, not the list's.
      if (target?.closest('form.compose')) return;
      // Behind a dialog (compose, an attachment) the list's keys must not act on what is hidden.
      if (document.querySelector('[aria-modal="true"]') && event.key !== '?') return;
      if (pendingG) {
        pendingG = false;
        if (event.key === 'i') {
          event.preventDefault();
          return actions.goInbox();
        }
        if (event.key === 'c') {
          event.preventDefault();
          return actions.goCalendar();
        }
      }
      if (pendingStar) {
        pendingStar = false;
        if (actions.section() === 'mail' && (event.key === 'a' || event.key === 'n')) {
          event.preventDefault();
          return event.key === 'a' ? actions.selectAll() : actions.selectNone();
        }
      }
      switch (event.key) {
        case '*':
          pendingStar = true;
          return;
        case '/':
          event.preventDefault();
          return actions.focusSearch();
        case '?':
          return actions.toggleHelp();
        case 'g':
          pendingG = true;
          return;
        case 'c':
          event.preventDefault();
          return actions.compose();
      }
      const section = actions.section();
      if (section === 'calendar') {
        if (calendarKey(event.key, actions.calendar)) event.preventDefault();
        return;
      }
      if (section !== 'mail') return;
      switch (event.key) {
        case 'e':
          return actions.archive();
        case '#':
          return actions.trash();
        case '!':
          return actions.reportSpam();
        case 's':
          return actions.toggleStar();
        case 'U':
          return actions.markUnread();
        case 'j':
          return actions.next();
        case 'k':
          return actions.previous();
        case 'x':
          return actions.toggleChecked();
        case 'r':
          event.preventDefault();
          return actions.reply();
        case 'a':
          event.preventDefault();
          return actions.replyAll();
        case 'f':
          event.preventDefault();
          return actions.forward();
        case 'l':
          event.preventDefault();
          return actions.label();
        case 'v':
          event.preventDefault();
          return actions.moveTo();
        case 'z':
          return actions.undo();
        case 'u':
          return actions.backToList();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}
