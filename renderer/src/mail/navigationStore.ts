import { create } from 'zustand';

/** What the list pane shows: a label (or role, e.g. "inbox" across accounts) or search results; `account`: one account's only. */
export type ListView =
  | { kind: 'label'; label: string; title: string; account?: string }
  | { kind: 'search'; query: string; account?: string };

/** Which main area is shown: mail (list + reader), the calendar, Settings or the Outbox. */
export type Section = 'mail' | 'calendar' | 'settings' | 'outbox';

interface NavigationState {
  section: Section;
  /** The mail view chosen last; listStore loads what it lists (showLabel, search). */
  view: ListView;
  /** Below 860 px the sidebar is a drawer over the panes: open or not. Choosing anything in it closes it. */
  drawerOpen: boolean;
  showCalendar(): void;
  showSettings(): void;
  showOutbox(): void;
  /** The mail section with `view` (listStore's showLabel and search; they load its threads). */
  showView(view: ListView): void;
  setDrawerOpen(open: boolean): void;
}

export const INBOX_VIEW: Extract<ListView, { kind: 'label' }> = { kind: 'label', label: 'inbox', title: 'Inbox' };

/** Where the user is: the section, the mail view, the narrow window's drawer. */
export const useNavigationStore = create<NavigationState>((set) => ({
  section: 'mail',
  view: INBOX_VIEW,
  drawerOpen: false,
  showCalendar: () => set({ section: 'calendar', drawerOpen: false }),
  showSettings: () => set({ section: 'settings', drawerOpen: false }),
  showOutbox: () => set({ section: 'outbox', drawerOpen: false }),
  showView: (view) => set({ section: 'mail', view, drawerOpen: false }),
  setDrawerOpen: (drawerOpen) => set({ drawerOpen }),
}));

/** The view's heading: the label's name, or what was searched. */
export function viewTitle(view: ListView): string {
  return view.kind === 'label' ? view.title : `Search: ${view.query}`;
}
