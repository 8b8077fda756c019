import { useEffect } from 'react';
import { ThreadList } from './components/ThreadList.tsx';
import { ThreadView } from './components/ThreadView.tsx';
import { useMailStore } from './mailStore.ts';

export function App() {
  const loadThreads = useMailStore((s) => s.loadThreads);
  useEffect(() => {
    void loadThreads('inbox');
  }, [loadThreads]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Outpost</h1>
      </header>
      <main className="panes">
        <ThreadList />
        <ThreadView />
      </main>
    </div>
  );
}
