import { useEffect, useMemo, useRef, useState } from 'react';
import { CalendarView } from './components/CalendarView.tsx';
import { SearchBox } from './components/SearchBox.tsx';
import { SearchResults } from './components/SearchResults.tsx';
import { ShortcutsHelp } from './components/ShortcutsHelp.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { ThreadList } from './components/ThreadList.tsx';
import { ThreadView } from './components/ThreadView.tsx';
import { useMailStore } from './mailStore.ts';
import { useKeyboardShortcuts } from './useKeyboardShortcuts.ts';

export function App() {
  const showLabel = useMailStore((s) => s.showLabel);
  const loadLabels = useMailStore((s) => s.loadLabels);
  const step = useMailStore((s) => s.step);
  const act = useMailStore((s) => s.act);
  const viewKind = useMailStore((s) => s.view.kind);
  const section = useMailStore((s) => s.section);
  const title = useMailStore((s) => (s.view.kind === 'label' ? s.view.title : `Search: ${s.view.query}`));
  const searchInput = useRef<HTMLInputElement>(null);
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    void loadLabels();
    void showLabel('inbox', 'Inbox');
  }, [loadLabels, showLabel]);

  const actions = useMemo(
    () => ({
      archive: () => void act('archive'),
      trash: () => void act('trash'),
      toggleStar: () => void act(useMailStore.getState().openThread?.messages.some((m) => m.is_starred) ? 'unstar' : 'star'),
      markUnread: () => void act('mark_unread'),
      next: () => void step(1),
      previous: () => void step(-1),
      focusSearch: () => searchInput.current?.focus(),
      goInbox: () => void showLabel('inbox', 'Inbox'),
      toggleHelp: () => setHelpOpen((open) => !open),
      escape: () => setHelpOpen(false),
    }),
    [step, showLabel, act],
  );
  useKeyboardShortcuts(actions);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Outpost</h1>
        <SearchBox ref={searchInput} />
        <button type="button" className="help-button" aria-label="Keyboard shortcuts" onClick={() => setHelpOpen(true)}>
          ?
        </button>
      </header>
      <main className={`panes${section === 'calendar' ? ' calendar-section' : ''}`}>
        <Sidebar />
        {section === 'calendar' ? (
          <CalendarView />
        ) : (
          <>
            <section className="list-pane" aria-label={title}>
              <h2 className="list-title">{title}</h2>
              {viewKind === 'label' ? <ThreadList /> : <SearchResults />}
            </section>
            <ThreadView />
          </>
        )}
      </main>
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
    </div>
  );
}
