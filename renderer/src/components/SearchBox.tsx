import { forwardRef, useEffect, useState } from 'react';
import { useListStore } from '../mail/listStore.ts';
import { useNavigationStore } from '../mail/navigationStore.ts';

const DEBOUNCE_MS = 200;

/**
 * Search as you type (debounced; the last word matches as typed), with Gmail-style operators; Escape
 * clears and returns to the inbox. The query stays while its results are shown (a result opened and
 * closed comes back to it) and goes when a mailbox is chosen.
 */
export const SearchBox = forwardRef<HTMLInputElement>(function SearchBox(_props, ref) {
  const search = useListStore((s) => s.search);
  const showLabel = useListStore((s) => s.showLabel);
  const [query, setQuery] = useState('');
  const searching = useNavigationStore((s) => s.view.kind === 'search');

  useEffect(() => {
    if (!searching) setQuery('');
  }, [searching]);
  // A search shown by its address (a reload, Back) puts its query in the box; what is being typed stays.
  const shownQuery = useNavigationStore((s) => (s.view.kind === 'search' ? s.view.query : null));
  useEffect(() => {
    const typing = document.activeElement instanceof HTMLInputElement && document.activeElement.type === 'search';
    if (shownQuery !== null && !typing) setQuery(shownQuery);
  }, [shownQuery]);

  useEffect(() => {
    if (!query.trim()) return;
    const timer = setTimeout(() => void search(query), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, search]);

  return (
    <form className="search" onSubmit={(event) => event.preventDefault()}>
      <input
        ref={ref}
        type="search"
        aria-label="Search mail"
        placeholder="Search mail   (from: subject: has:attachment is:unread …)"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          if (!event.target.value.trim()) void showLabel('inbox', 'Inbox');
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            setQuery('');
            void showLabel('inbox', 'Inbox');
            event.currentTarget.blur();
          }
        }}
      />
    </form>
  );
});
