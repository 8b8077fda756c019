import { type CalendarMode, startOfDay, useCalendarStore } from '../calendarStore.ts';
import { useLabelStore } from './labelStore.ts';
import { useListStore } from './listStore.ts';
import { INBOX_VIEW, type ListView, useNavigationStore } from './navigationStore.ts';
import { useReaderStore } from './readerStore.ts';

/**
 * Where the person is, as an address (the part after `#`), so Back/Forward, reload, bookmarks and a
 * new tab work. One module maps the stores' state to the URL and back, with the History API:
 *
 *   #/mail/all/<label>                 a mailbox across accounts (a role: inbox, sent ...) or a label by id
 *   #/mail/all/<label>/thread/<id>     a conversation open over that mailbox's list
 *   #/search/<query>[/thread/<id>]     search results (and one opened from them)
 *   #/calendar/<mode>/<YYYY-MM-DD>     the calendar's day, week, month or agenda around a local day
 *   #/settings  #/outbox               the other sections
 *
 * `all` is the account scope; one account's own mailboxes are `#/mail/<account id>/inbox`, its
 * searches `#/search/<query>/account/<account id>`.
 * Each change a person makes is one history entry (typing a search refines its entry in place);
 * Back undoes it, and Back from the first address leaves the app only as any page would.
 */
export type Route =
  | { section: 'mail'; view: ListView; threadId: string | null }
  | { section: 'calendar'; mode: CalendarMode; day: Date }
  | { section: 'settings' | 'outbox' };

const SECTIONS = ['settings', 'outbox'] as const;
const CALENDAR_MODES: readonly CalendarMode[] = ['day', 'week', 'month', 'agenda'];

/** The address of a place (`#/...`). */
export function routeToHash(route: Route): string {
  if (route.section === 'calendar') return `#/calendar/${route.mode}/${localDate(route.day)}`;
  if (route.section !== 'mail') return `#/${route.section}`;
  const { view } = route;
  const scope = view.account ? encodeURIComponent(view.account) : 'all';
  const list =
    view.kind === 'search'
      ? `#/search/${encodeURIComponent(view.query)}${view.account ? `/account/${scope}` : ''}`
      : `#/mail/${scope}/${encodeURIComponent(view.label)}`;
  return route.threadId ? `${list}/thread/${encodeURIComponent(route.threadId)}` : list;
}

/** The place an address names; anything it does not know (an old bookmark, a typo) is the Inbox. */
export function hashToRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodePart);
  const [head, ...rest] = parts;
  const section = SECTIONS.find((s) => s === head);
  if (section) return { section };
  if (head === 'calendar') {
    const { mode, anchor } = useCalendarStore.getState();
    return {
      section: 'calendar',
      mode: CALENDAR_MODES.find((m) => m === rest[0]) ?? mode,
      day: parseLocalDate(rest[1]) ?? anchor,
    };
  }
  const threadAt = rest.indexOf('thread');
  const threadId = threadAt >= 0 ? (rest[threadAt + 1] ?? null) || null : null;
  if (head === 'search' && rest[0]) {
    const account = rest[1] === 'account' ? rest[2] : undefined;
    return {
      section: 'mail',
      view: account ? { kind: 'search', query: rest[0], account } : { kind: 'search', query: rest[0] },
      threadId,
    };
  }
  if (head === 'mail' && rest[0] && rest[1])
    return { section: 'mail', view: labelView(rest[1], rest[0] === 'all' ? undefined : rest[0]), threadId };
  return { section: 'mail', view: INBOX_VIEW, threadId: null };
}

/** The place the stores show now. */
export function currentRoute(): Route {
  const { section, view } = useNavigationStore.getState();
  if (section === 'calendar') {
    const { mode, anchor } = useCalendarStore.getState();
    return { section, mode, day: anchor };
  }
  if (section !== 'mail') return { section };
  return { section, view, threadId: useReaderStore.getState().openThread?.id ?? null };
}

/** Shows a place: its section, its list (loaded only when it is not the one shown) and its conversation. */
export async function showRoute(route: Route, options: { reloadList?: boolean } = {}): Promise<void> {
  const navigation = useNavigationStore.getState();
  if (route.section === 'calendar') return showCalendarRoute(route);
  if (route.section !== 'mail') return route.section === 'settings' ? navigation.showSettings() : navigation.showOutbox();
  const listed = navigation.view;
  const sameList =
    route.view.kind === listed.kind &&
    route.view.account === listed.account &&
    (route.view.kind === 'search'
      ? route.view.query === (listed as typeof route.view).query
      : route.view.label === (listed as typeof route.view).label);
  const reader = useReaderStore.getState();
  if (!sameList || options.reloadList) {
    // A search searches the account of the view it is shown over (listStore.search): that view first.
    if (route.view.kind === 'search') {
      navigation.showView(route.view);
      void useListStore.getState().search(route.view.query);
    } else void useListStore.getState().showLabel(route.view.label, route.view.title, route.view.account);
  } else navigation.showView(listed);
  if (route.threadId === null) {
    if (reader.openThread || reader.status !== 'idle') reader.closeThread();
  } else if (reader.openThread?.id !== route.threadId) await reader.selectThread(route.threadId);
}

/**
 * Keeps the address and the stores in step from now on: shows the place the address names (the
 * Inbox when it names none), records each later change as a history entry, and follows Back and
 * Forward. Returns the function that stops it.
 * `keepShown`: the person already went somewhere (before the routes started); that place stays and
 * becomes the address, and the mail list, not loaded yet, loads when mail is first shown.
 */
export function startUrlRoutes({ keepShown = false }: { keepShown?: boolean } = {}): () => void {
  let applying = false;
  let shown = routeToHash(keepShown ? currentRoute() : hashToRoute(window.location.hash));
  history.replaceState(history.state, '', shown);
  let listUnloaded = keepShown && useNavigationStore.getState().section !== 'mail';
  const follow = async (hash: string, reloadList = false) => {
    applying = true;
    const route = hashToRoute(hash);
    const reload = reloadList || (listUnloaded && route.section === 'mail');
    if (route.section === 'mail') listUnloaded = false;
    try {
      await showRoute(route, { reloadList: reload });
    } finally {
      applying = false;
      shown = routeToHash(currentRoute());
      if (shown !== window.location.hash) history.replaceState(history.state, '', shown);
    }
  };
  const record = () => {
    if (applying) return;
    const route = currentRoute();
    // Mail shown by the person (a mailbox, a search) loaded its list.
    if (route.section === 'mail') listUnloaded = false;
    const next = routeToHash(route);
    if (next === shown) return;
    // A search typed further refines its own entry; every other change is a step Back can undo.
    const refining =
      next.startsWith('#/search/') && shown.startsWith('#/search/') && !next.includes('/thread/') && !shown.includes('/thread/');
    if (refining) history.replaceState(history.state, '', next);
    else history.pushState(null, '', next);
    shown = next;
  };
  const onPop = () => void follow(window.location.hash);
  if (!keepShown) void follow(shown, true);
  const stopNavigation = useNavigationStore.subscribe(record);
  const stopReader = useReaderStore.subscribe(record);
  const stopCalendar = useCalendarStore.subscribe(record);
  window.addEventListener('popstate', onPop);
  return () => {
    stopNavigation();
    stopReader();
    stopCalendar();
    window.removeEventListener('popstate', onPop);
  };
}

/** The calendar at a mode and day: loaded again when it was showing something else and is already open. */
async function showCalendarRoute(route: Extract<Route, { section: 'calendar' }>): Promise<void> {
  const calendar = useCalendarStore.getState();
  const moved = calendar.mode !== route.mode || calendar.anchor.getTime() !== route.day.getTime();
  const open = useNavigationStore.getState().section === 'calendar';
  if (moved) useCalendarStore.setState({ mode: route.mode, anchor: route.day, selected: null });
  useNavigationStore.getState().showCalendar();
  // Opened now, the calendar loads what it shows as it mounts; already open, it loads here.
  if (moved && open) await calendar.load();
}

/** A local day as YYYY-MM-DD (the calendar's days are local). */
function localDate(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

function parseLocalDate(text: string | undefined): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  if (!match) return null;
  const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(day.getTime()) || day.getDate() !== Number(match[3]) ? null : startOfDay(day);
}

/**
 * A label view by id, across accounts or in one: a role's own title ("inbox" is Inbox), the label's
 * name once labels are known, and in one account of several its address too (as the sidebar titles it).
 */
function labelView(label: string, account?: string): Extract<ListView, { kind: 'label' }> {
  const { labels, accountEmails } = useLabelStore.getState();
  const known = labels.find((l) => l.id === label);
  const name = known?.name ?? (label === 'all' ? 'All Mail' : label.charAt(0).toUpperCase() + label.slice(1));
  if (!account) return { kind: 'label', label, title: name };
  const email = Object.keys(accountEmails).length > 1 ? accountEmails[account] : undefined;
  return { kind: 'label', label, title: email ? `${name} — ${email}` : name, account };
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
