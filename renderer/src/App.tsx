import { useEffect, useMemo, useRef, useState } from 'react';
import { decodeDraftParam } from '../../shared/composeDraft.ts';
import { api } from './apiClient.ts';
import { type CalendarMode, useCalendarStore } from './calendarStore.ts';
import { CalendarView } from './components/CalendarView.tsx';
import { ComposeForm } from './components/ComposeForm.tsx';
import { OutboxView } from './components/OutboxView.tsx';
import { SearchBox } from './components/SearchBox.tsx';
import { SearchResults } from './components/SearchResults.tsx';
import { SettingsView } from './components/SettingsView.tsx';
import { ShortcutsHelp } from './components/ShortcutsHelp.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { SyncStatus } from './components/SyncStatus.tsx';
import { ThreadList } from './components/ThreadList.tsx';
import { ThreadView } from './components/ThreadView.tsx';
import { type Draft, emptyDraft } from './composeDrafts.ts';
import { useComposeStore } from './composeStore.ts';
import { onCoreEvent, onEventGap, startLiveEvents } from './liveEvents.ts';
import { useMailStore } from './mailStore.ts';
import { useOutboxStore } from './outboxStore.ts';
import type { HeldMessage } from './undoSend.ts';
import { useKeyboardShortcuts } from './useKeyboardShortcuts.ts';

/** The desktop's compose window (`?compose=<draft>`) shows only the form; otherwise the whole client. */
export function App() {
  const composeParam = new URLSearchParams(window.location.search).get('compose');
  if (composeParam !== null) return <ComposeWindow param={composeParam} />;
  return <MailClient />;
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
  const showLabel = useMailStore((s) => s.showLabel);
  const loadLabels = useMailStore((s) => s.loadLabels);
  const step = useMailStore((s) => s.step);
  const act = useMailStore((s) => s.act);
  const viewKind = useMailStore((s) => s.view.kind);
  const section = useMailStore((s) => s.section);
  const title = useMailStore((s) => (s.view.kind === 'label' ? s.view.title : `Search: ${s.view.query}`));
  const searchInput = useRef<HTMLInputElement>(null);
  const reading = useMailStore((s) => s.openThread !== null || s.threadStatus !== 'idle');
  const viewKey = useMailStore((s) => (s.view.kind === 'label' ? s.view.label : s.view.query));
  // In a narrow window the sidebar is a drawer, closed again once something in it is chosen.
  const [navOpen, setNavOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: choosing a section or a mailbox is what closes the drawer
  useEffect(() => setNavOpen(false), [section, viewKey]);
  const [helpOpen, setHelpOpen] = useState(false);
  const helpOpenRef = useRef(helpOpen);
  helpOpenRef.current = helpOpen;
  const draft = useComposeStore((s) => s.draft);
  const notice = useComposeStore((s) => s.notice);
  const compose = useComposeStore((s) => s.compose);
  const closeCompose = useComposeStore((s) => s.close);
  const sent = useComposeStore((s) => s.sent);
  const restoredAttachments = useComposeStore((s) => s.restoredAttachments);
  const held = useComposeStore((s) => s.held);

  useEffect(() => {
    void loadLabels();
    void showLabel('inbox', 'Inbox');
  }, [loadLabels, showLabel]);

  // Live: a finished sync, a sent message or a dropped stream coming back shows the index as it now is.
  useEffect(() => {
    startLiveEvents();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refreshSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void useMailStore.getState().refresh(), 250);
    };
    void useOutboxStore.getState().load();
    const stopEvents = onCoreEvent((event) => {
      if (event.type === 'outbox.updated') void useOutboxStore.getState().load();
      // Removed elsewhere too (the CLI, a script, another window): forget it here.
      if (event.type === 'account.removed') {
        useMailStore.getState().accountRemoved(event.account_id);
        void useCalendarStore.getState().load();
        void useOutboxStore.getState().load();
      }
      if (event.type === 'email.sent') useComposeStore.getState().delivered(event.message.id);
      if (event.type === 'email.sync.completed' || event.type === 'email.sent' || event.type === 'mail.received') refreshSoon();
    });
    const stopGaps = onEventGap(() => {
      refreshSoon();
      void useOutboxStore.getState().load();
    });
    return () => {
      clearTimeout(timer);
      stopEvents();
      stopGaps();
    };
  }, []);

  const actions = useMemo(
    () => ({
      // With threads ticked, e and # act on all of them; otherwise on the open thread.
      archive: () =>
        void (useMailStore.getState().checked.size ? useMailStore.getState().actOnChecked('archive') : act('archive')),
      trash: () => void (useMailStore.getState().checked.size ? useMailStore.getState().actOnChecked('trash') : act('trash')),
      reportSpam: () => void (useMailStore.getState().checked.size ? useMailStore.getState().actOnChecked('spam') : act('spam')),
      toggleChecked: () => {
        const open = useMailStore.getState().openThread;
        if (open) useMailStore.getState().toggleChecked(open.id);
      },
      toggleStar: () => void act(useMailStore.getState().openThread?.messages.some((m) => m.is_starred) ? 'unstar' : 'star'),
      markUnread: () => void act('mark_unread'),
      next: () => void step(1),
      previous: () => void step(-1),
      focusSearch: () => searchInput.current?.focus(),
      goInbox: () => void showLabel('inbox', 'Inbox'),
      toggleHelp: () => setHelpOpen((open) => !open),
      // Esc closes what is on top: the shortcuts, else an event's details.
      escape: () => {
        if (helpOpenRef.current) setHelpOpen(false);
        else if (useMailStore.getState().section === 'calendar') useCalendarStore.getState().select(null);
      },
      compose: () => useComposeStore.getState().compose(),
      reply: () => void useComposeStore.getState().reply('reply'),
      replyAll: () => void useComposeStore.getState().reply('replyAll'),
      forward: () => void useComposeStore.getState().reply('forward'),
      undo: () => void useMailStore.getState().undoLast(),
      label: () => useMailStore.getState().setPicker('label'),
      moveTo: () => useMailStore.getState().setPicker('move'),
      backToList: () => useMailStore.getState().closeThread(),
      selectAll: () => useMailStore.getState().checkAll(),
      selectNone: () => useMailStore.getState().clearChecked(),
      goCalendar: () => useMailStore.getState().showCalendar(),
      section: () => {
        const section = useMailStore.getState().section;
        return section === 'mail' || section === 'calendar' ? section : 'other';
      },
      calendar: {
        view: (mode: CalendarMode) => void useCalendarStore.getState().setMode(mode),
        today: () => void useCalendarStore.getState().today(),
        step: (delta: number) => void useCalendarStore.getState().move(delta),
      },
    }),
    [step, showLabel, act],
  );
  useKeyboardShortcuts(actions);

  // The desktop shell: a clicked notification opens its thread; menus ask for views.
  useEffect(() => {
    window.outpost?.onOpenThread?.((threadId) => void useMailStore.getState().selectThread(threadId));
    window.outpost?.onNavigate?.((view) => {
      if (view === 'shortcuts') setHelpOpen(true);
      if (view === 'settings') useMailStore.getState().showSettings();
    });
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <button
          type="button"
          className="nav-button"
          aria-label="Mailboxes"
          aria-expanded={navOpen}
          aria-controls="sidebar"
          onClick={() => setNavOpen((open) => !open)}
        >
          ☰
        </button>
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
        className={`panes${section !== 'mail' ? ' calendar-section' : ''}${reading ? ' reading' : ''}${navOpen ? ' nav-open' : ''}`}
      >
        <Sidebar />
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
                {viewKind === 'label' && <SelectAll />}
                <h2 className="list-title">{title}</h2>
              </div>
              {viewKind === 'label' ? <ThreadList /> : <SearchResults />}
            </section>
            <ThreadView />
          </>
        )}
      </main>
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
      {draft && (
        <div className="overlay" role="dialog" aria-modal="true" aria-label="Compose">
          <div className="dialog compose-dialog">
            <ComposeForm
              key={draft.draftId ?? 'new'}
              initial={draft}
              initialAttachments={restoredAttachments}
              onClose={closeCompose}
              onSent={sent}
              onRestore={compose}
            />
          </div>
        </div>
      )}
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

/** Ticks every conversation loaded in the list, or none (Gmail's select-all box; also * a and * n). */
function SelectAll() {
  const total = useMailStore((s) => s.threads.length);
  const ticked = useMailStore((s) => s.checked.size);
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
      onChange={() => (ticked > 0 ? useMailStore.getState().clearChecked() : useMailStore.getState().checkAll())}
    />
  );
}

/** "Conversation archived. Undo" for ten seconds after an archive or delete (z undoes too). */
function UndoToast() {
  const undo = useMailStore((s) => s.undo);
  const { undoLast, dismissUndo } = useMailStore.getState();
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
