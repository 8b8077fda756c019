import { useCallback, useEffect, useState } from 'react';

/**
 * A list Settings shows from the API (keys, webhooks): loaded on mount and again after each change
 * made to it, with the last failure in words (a load's, or a change's the caller reports).
 */
export function useApiList<T>(fetchList: () => Promise<{ data: T[] }>): {
  items: T[];
  reload(): Promise<void>;
  error: string | null;
  setError(error: string | null): void;
} {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setItems((await fetchList()).data);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [fetchList]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { items, reload, error, setError };
}
