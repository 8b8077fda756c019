import { useEffect } from 'react';

export interface ShortcutActions {
  archive(): void;
  trash(): void;
  toggleStar(): void;
  markUnread(): void;
  next(): void;
  previous(): void;
  focusSearch(): void;
  goInbox(): void;
  toggleHelp(): void;
  escape(): void;
  compose(): void;
  reply(): void;
  replyAll(): void;
  forward(): void;
  toggleChecked(): void;
  label(): void;
  moveTo(): void;
  undo(): void;
}

/** Gmail-style single-key shortcuts; ignored while typing in a field. "g" starts a two-key sequence. */
export function useKeyboardShortcuts(actions: ShortcutActions): void {
  useEffect(() => {
    let pendingG = false;
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
      if (event.key === 'Escape') return actions.escape();
      if (typing) return;
      // Behind a dialog (compose, an attachment) the list's keys must not act on what is hidden.
      if (document.querySelector('[aria-modal="true"]') && event.key !== '?') return;
      if (pendingG) {
        pendingG = false;
        if (event.key === 'i') {
          event.preventDefault();
          return actions.goInbox();
        }
      }
      switch (event.key) {
        case 'e':
          return actions.archive();
        case '#':
          return actions.trash();
        case 's':
          return actions.toggleStar();
        case 'U':
          return actions.markUnread();
        case 'j':
          return actions.next();
        case 'k':
          return actions.previous();
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
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);
}
