import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { decodeDraftParam } from '../../shared/composeDraft.ts';
import { api, establishSession } from './apiClient.ts';
import { notifyNewMail } from './browserNotifications.ts';
import { useCalendarStore } from './calendarStore.ts';
import { CalendarView } from './components/CalendarView.tsx';
import { ComposeDock } from './components/ComposeDock.tsx';
import { ComposeForm } from './components/ComposeForm.tsx';
import { EventReminders } from './components/EventReminders.tsx';
import { IndexDamageBanner } from './components/IndexDamageBanner.tsx';
import { MailboxDrawer, MailboxesButton } from './components/MailboxDrawer.tsx';
import { MailRefresh } from './components/MailRefresh.tsx';
import { OutboxView } from './components/OutboxView.tsx';
import { SearchBox } from './components/SearchBox.tsx';
import { SearchResults } from './components/SearchResults.tsx';
import { ShortcutsHelp } from './components/ShortcutsHelp.tsx';
import { SyncStatus } from './components/SyncStatus.tsx';
import { ThreadList } from './components/ThreadList.tsx';
import { ThreadView } from './components/ThreadView.tsx';
import { type Draft, emptyDraft } from './composeDrafts.ts';
import { useComposeStore } from './composeStore.ts';
import { onCoreEvent, onEventGap, startLiveEvents } from './liveEvents.ts';
import { useLabelStore } from './mail/labelStore.ts';
import { useListStore } from './mail/listStore.ts';
import { subscribeLiveMail } from './mail/liveMail.ts';
import { useNavigationStore, viewTitle } from './mail/navigationStore.ts';
import { useReaderStore } from './mail/readerStore.ts';
import { useSelectionStore } from './mail/selectionStore.ts';
import { useUndoStore } from './mail/undoStore.ts';
import { startUrlRoutes } from './mail/urlRoutes.ts';
import { useOutboxStore } from './outboxStore.ts';
import { SettingsView } from './settings/SettingsView.tsx';
import { shortcutActions } from './shortcutActions.ts';
import type { HeldMessage } from './undoSend.ts';
import { useKeyboardShortcuts } from './useKeyboardShortcuts.ts';

/** The desktop's compose window (`?compose=<draft>`) shows only the form; otherwise the whole client. */
export function App() {
  const composeParam = new URLSearchParams(window.location.search).get('compose');
  if (composeParam !== null) return <ComposeWindow param={composeParam} />;
  return <SessionGate />;
}

/**
 * The client once the page has a session (the printed link's, kept as a cookie, or the desktop's);
 * a page without one says how to get one instead of showing an empty, "Offline" client.
 */
function SessionGate() {
  const [session, setSession] = useState<'checking' | 'ok' | 'none'>('checking');
  useEffect(() => {
    void establishSession().then(setSession);
  }, []);
  if (session === 'checking') return null;
  if (session === 'none') return <NoSession />;
  return <MailClient />;
}

function NoSession() {
  useEffect(() => {
    document.title = 'Sign in — Outpost';
  }, []);
  return (
    <main className="no-session">
      <h1>Outpost</h1>
      <p>This page has no Outpost session.</p>
      <p>
        Run <code>outpost serve</code> (or <code>npm run serve</code>) and open the link it prints (
        <code>http://127.0.0.1:…/#session=…</code>) in this browser, once: after that any Outpost address opens here, in new tabs
        and after a reload. Or use the Outpost desktop app.
      </p>
    </main>
  );
}

function ComposeWindow({ param }: { param: string }) {
  const [status, setStatus] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(() => decodeDraftParam(param) ?? emptyDraft());
  const [held, setHeld] = useState<HeldMessage | null>(null);
  const [restored, setRestored] = useState<HeldMessage['attachments'] | undefined>(undefined);
  // The window stays while the message can be taken back, then closes.
  useEffect(() => {
    if (!held) return;
    const timer = setTimeout(() => window.close(), held.seconds * 1000);
    return () => clearTimeout(timer);
  }, [held]);
  const undo = async () => {
    if (!held) return;
    try {
      await api.cancelOutbox(held.id);
      setRestored(held.attachments);
      setDraft(held.draft);
      setHeld(null);
      setStatus(null);
    } catch {
      setStatus('too-late');
    }
  };
  if (status)
    return (
      <p className="toast" role="status">
        {status === 'too-late'
          ? 'Too late to undo: the message has been sent.'
          : held
            ? 'Sending…'
            : status === 'sent'
              ? 'Message sent.'
              : 'Message queued.'}{' '}
        {held && status !== 'too-late' && (
          <button type="button" className="link-button" onClick={() => void undo()}>
            Undo
          </button>
        )}
      </p>
    );
  return (
    <main className="compose-window">
      <ComposeForm
        key={draft.draftId ?? `new-${restored ? 'restored' : ''}`}
        initial={draft}
        initialAttachments={restored}
        onRestore={setDraft}
        onClose={() => window.close()}
        onSent={(s, _id, heldMessage) => {
          setStatus(s);
          if (heldMessage) setHeld(heldMessage);
          else setTimeout(() => window.close(), 800);
        }}
      />
    </main>
  );
}

function MailClient() {
  const section = useNavigationStore((s) => s.section);
  const viewKind = useNavigationStore((s) => s.view.kind);
  const title = useNavigationStore((s) => viewTitle(s.view));
  const drawerOpen = useNavigationStore((s) => s.drawerOpen);
  // A narrow window shows the list or the conversation: the conversation while one is open or opening.
  const reading = useReaderStore((s) => s.openThread !== null || s.status !== 'idle');
  const searchInput = useRef<HTMLInputElement>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const helpOpenRef = useRef(helpOpen);
  helpOpenRef.current = helpOpen;
  const { notice, compose, held } = useComposeStore(useShallow((s) => ({ notice: s.notice, compose: s.compose, held: s.held })));

  useEffect(() => {
    // The labels first, so a label's address shows its name; then the place the address names,
    // unless the person already went somewhere while they loaded (Settings clicked at once): that stays.
    let stopRoutes: (() => void) | null = null;
    let stopped = false;
    let moved = false;
    const initial = useNavigationStore.getState();
    const stopWatching = useNavigationStore.subscribe((s) => {
      if (s.section !== initial.section || s.view !== initial.view) moved = true;
    });
    void useLabelStore
      .getState()
      .loadLabels()
      .then(() => {
        stopWatching();
        if (!stopped) stopRoutes = startUrlRoutes({ keepShown: moved });
      });
    return () => {
      stopped = true;
      stopWatching();
      stopRoutes?.();
    };
  }, []);
  useInboxTitle();

  // Live: mail changes patch the views; the outbox, a removed account's calendars and sent notices follow their events.
  useEffect(() => {
    startLiveEvents();
    const stopMail = subscribeLiveMail();
    void useOutboxStore.getState().load();
    const stopEvents = onCoreEvent((event) => {
      if (event.type === 'outbox.updated') void useOutboxStore.getState().load();
      if (event.type === 'account.removed') {
        void useCalendarStore.getState().load();
        void useOutboxStore.getState().load();
      }
      if (event.type === 'email.sent') useComposeStore.getState().delivered(event.message.id);
      if (event.type === 'mail.received')
        notifyNewMail(event.messages, (threadId) => void useReaderStore.getState().selectThread(threadId));
    });
    const stopGaps = onEventGap(() => void useOutboxStore.getState().load());
    return () => {
      stopMail();
      stopEvents();
      stopGaps();
    };
  }, []);

  const actions = useMemo(
    () =>
      shortcutActions({
        focusSearch: () => searchInput.current?.focus(),
        toggleHelp: () => setHelpOpen((open) => !open),
        closeHelp: () => {
          if (!helpOpenRef.current) return false;
          setHelpOpen(false);
          return true;
        },
      }),
    [],
  );
  useKeyboardShortcuts(actions);

  // The desktop shell: a clicked notification opens its thread; menus ask for views.
  useEffect(() => {
    window.outpost?.onOpenThread?.((threadId) => void useReaderStore.getState().selectThread(threadId));
    window.outpost?.onNavigate?.((view) => {
      if (view === 'shortcuts') setHelpOpen(true);
      if (view === 'settings') useNavigationStore.getState().showSettings();
    });
  }, []);

  return (
    <div className="app">
      <IndexDamageBanner />
      <header className="app-header">
        <MailboxesButton />
        <h1>Outpost</h1>
        <button type="button" className="compose-button" onClick={() => compose()} title="Compose (c)">
          Compose
        </button>
        <SearchBox ref={searchInput} />
        <SyncStatus />
        <button type="button" className="help-button" aria-label="Keyboard shortcuts" onClick={() => setHelpOpen(true)}>
          ?
        </button>
      </header>
      <main
        className={`panes${section !== 'mail' ? ' calendar-section' : ''}${reading ? ' reading' : ''}${drawerOpen ? ' nav-open' : ''}`}
      >
        <MailboxDrawer />
        {section === 'calendar' ? (
          <CalendarView />
        ) : section === 'settings' ? (
          <SettingsView />
        ) : section === 'outbox' ? (
          <OutboxView />
        ) : (
          <>
            <section className="list-pane" aria-label={title}>
              <div className="list-heading">
                <SelectAll />
                <h2 className="list-title">{title}</h2>
                <MailRefresh />
              </div>
              {viewKind === 'label' ? <ThreadList /> : <SearchResults />}
            </section>
            <ThreadView />
          </>
        )}
      </main>
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
      <EventReminders />
      <ComposeDock />
      {held && (
        <p className="toast" role="status">
          Sending…{' '}
          <button type="button" className="link-button" onClick={() => void useComposeStore.getState().undoSend()}>
            Undo
          </button>
        </p>
      )}
      {notice && (
        <p className="toast" role="status">
          {notice}
        </p>
      )}
      <UndoToast />
    </div>
  );
}

/** The tab's title counts the Inbox's unread conversations: "Inbox (3) — Outpost". */
function useInboxTitle() {
  const unread = useLabelStore((s) => s.labels.reduce((n, l) => n + (l.role === 'inbox' ? l.unread_thread_count : 0), 0));
  useEffect(() => {
    document.title = unread > 0 ? `Inbox (${unread}) — Outpost` : 'Inbox — Outpost';
  }, [unread]);
}

/** Ticks every conversation loaded in the list, or none (Gmail's select-all box; also * a and * n). */
function SelectAll() {
  const total = useListStore((s) => s.ids.length);
  const ticked = useSelectionStore((s) => s.checked.size);
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = ticked > 0 && ticked < total;
  }, [ticked, total]);
  return (
    <input
      ref={box}
      type="checkbox"
      className="select-all"
      aria-label={ticked > 0 ? 'Select none' : 'Select all'}
      title={ticked > 0 ? 'Select none (* n)' : `Select all ${total} loaded (* a)`}
      checked={total > 0 && ticked === total}
      disabled={total === 0}
      onChange={() => (ticked > 0 ? useSelectionStore.getState().clearChecked() : useSelectionStore.getState().checkAll())}
    />
  );
}

/** "Conversation archived. Undo" for ten seconds after an archive or delete (z undoes too). */
function UndoToast() {
  const undo = useUndoStore((s) => s.undo);
  const { undoLast, dismissUndo } = useUndoStore.getState();
  useEffect(() => {
    if (!undo) return;
    const timer = setTimeout(dismissUndo, 10_000);
    return () => clearTimeout(timer);
  }, [undo, dismissUndo]);
  if (!undo) return null;
  return (
    <p className="toast undo-toast" role="status">
      {undo.text}{' '}
      <button type="button" className="link-button" onClick={() => void undoLast()}>
        Undo
      </button>
    </p>
  );
}
