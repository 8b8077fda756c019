import { useEffect, useRef, useSyncExternalStore } from 'react';
import { tabbable } from 'tabbable';
import { useNavigationStore } from '../mail/navigationStore.ts';
import { Sidebar } from './Sidebar.tsx';

/** Below this width the panes take turns and the mailboxes are a drawer (styles.css has the same figure). */
const NARROW = '(max-width: 860px)';
/** What stays usable over an open drawer: the docked compose windows (styles.css stacks them above it). */
const ABOVE_DRAWER = '.compose-dock';
const BUTTON_ID = 'mailboxes-button';

function useNarrowWindow(): boolean {
  return useSyncExternalStore(
    (changed) => {
      const query = window.matchMedia(NARROW);
      query.addEventListener('change', changed);
      return () => query.removeEventListener('change', changed);
    },
    () => window.matchMedia(NARROW).matches,
  );
}

/** The header's ☰ (shown in narrow windows only): opens and closes the drawer. */
export function MailboxesButton() {
  const open = useNavigationStore((s) => s.drawerOpen);
  return (
    <button
      type="button"
      id={BUTTON_ID}
      className="nav-button"
      aria-label="Mailboxes"
      aria-expanded={open}
      aria-controls="sidebar"
      onClick={() => useNavigationStore.getState().setDrawerOpen(!open)}
    >
      ☰
    </button>
  );
}

/**
 * The sidebar; in a narrow window, while open, a modal drawer: a scrim takes clicks outside it (closing
 * it, activating nothing under it), Esc closes it, Tab stays inside it (and the docked compose windows,
 * which sit above it), and focus returns to the ☰ button when it closes. Choosing a mailbox closes it
 * (navigationStore).
 */
export function MailboxDrawer() {
  const narrow = useNarrowWindow();
  const open = useNavigationStore((s) => s.drawerOpen) && narrow;
  const drawer = useRef<HTMLDivElement>(null);
  // A window widened past the breakpoint has no drawer: narrowed again, it shows the list, not a drawer left open.
  useEffect(() => {
    if (!narrow) useNavigationStore.getState().setDrawerOpen(false);
  }, [narrow]);
  useEffect(() => {
    const element = drawer.current;
    if (!open || !element) return;
    const close = () => useNavigationStore.getState().setDrawerOpen(false);
    const inside = (node: EventTarget | null) =>
      node instanceof Element && (element.contains(node) || node.closest(ABOVE_DRAWER) !== null);
    const reachable = () => [element, ...document.querySelectorAll(ABOVE_DRAWER)].flatMap((part) => tabbable(part));
    tabbable(element)[0]?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !document.activeElement?.closest(ABOVE_DRAWER)) {
        event.preventDefault();
        event.stopPropagation();
        close();
      } else if (event.key === 'Tab') {
        const stops = reachable();
        if (stops.length === 0) return;
        const at = stops.indexOf(document.activeElement as HTMLElement);
        const next = at < 0 ? 0 : (at + (event.shiftKey ? -1 : 1) + stops.length) % stops.length;
        event.preventDefault();
        stops[next]?.focus();
      }
    };
    // Focus that lands outside (a script, the browser) comes back into the drawer.
    const onFocus = (event: FocusEvent) => {
      if (!inside(event.target)) tabbable(element)[0]?.focus();
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocus);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocus);
      // Back to the button, unless focus already went somewhere on purpose (a compose window).
      if (!document.activeElement?.closest(ABOVE_DRAWER)) document.getElementById(BUTTON_ID)?.focus();
    };
  }, [open]);
  const close = () => useNavigationStore.getState().setDrawerOpen(false);
  // The same element open or not, so the sidebar (its folded accounts) stays as it was.
  const modal = open ? ({ role: 'dialog', 'aria-modal': true, 'aria-label': 'Mailboxes' } as const) : {};
  return (
    <>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a pointer's way out; Esc is the keyboard's */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: Esc closes the drawer wherever focus is */}
      {open && <div className="drawer-scrim" onClick={close} />}
      <div ref={drawer} className="mailbox-drawer" {...modal}>
        <Sidebar />
      </div>
    </>
  );
}
