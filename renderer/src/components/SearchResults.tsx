import { useListStore } from '../mail/listStore.ts';
import { conversationCount } from '../mail/resultCount.ts';
import { ThreadList } from './ThreadList.tsx';

/**
 * A search's conversations: how many match over the same list as a mailbox's (rows, ticks, bulk
 * actions), the matches marked in each row.
 */
export function SearchResults() {
  const total = useListStore((s) => s.total);
  return (
    <>
      {total && (
        <p className="result-count" role="status">
          {conversationCount(total.count, total.estimated)}
        </p>
      )}
      <ThreadList />
    </>
  );
}
