import { create } from 'zustand';
import { useListStore } from './listStore.ts';

interface SelectionState {
  /** Threads ticked for a bulk action (Ctrl/Cmd-click, Shift-click for a range, x); always among the listed ones. */
  checked: ReadonlySet<string>;
  /** Where a Shift-click range starts: the thread ticked or unticked last. */
  anchor: string | null;
  toggleChecked(id: string): void;
  /** Ticks the listed threads from the anchor to `id`. */
  checkRangeTo(id: string): void;
  /** Ticks every thread loaded in the list. */
  checkAll(): void;
  clearChecked(): void;
}

export const useSelectionStore = create<SelectionState>((set, get) => ({
  checked: new Set(),
  anchor: null,
  toggleChecked(id) {
    set((s) => {
      const checked = new Set(s.checked);
      if (!checked.delete(id)) checked.add(id);
      return { checked, anchor: id };
    });
  },
  checkRangeTo(id) {
    const { ids } = useListStore.getState();
    const anchor = get().anchor;
    const from = anchor ? ids.indexOf(anchor) : -1;
    const to = ids.indexOf(id);
    if (to < 0) return;
    const [a, b] = from < 0 ? [to, to] : [Math.min(from, to), Math.max(from, to)];
    set((s) => ({ checked: new Set([...s.checked, ...ids.slice(a, b + 1)]), anchor: id }));
  },
  checkAll() {
    set({ checked: new Set(useListStore.getState().ids) });
  },
  clearChecked() {
    set({ checked: new Set(), anchor: null });
  },
}));

// Ticks follow the list: a thread that leaves it (another view, archived, removed) is no longer ticked.
useListStore.subscribe((list, previous) => {
  if (list.ids === previous.ids) return;
  const { checked, anchor } = useSelectionStore.getState();
  if (checked.size === 0 && anchor === null) return;
  const listed = new Set(list.ids);
  const kept = [...checked].filter((id) => listed.has(id));
  if (kept.length === checked.size && (anchor === null || listed.has(anchor))) return;
  useSelectionStore.setState({ checked: new Set(kept), anchor: anchor !== null && listed.has(anchor) ? anchor : null });
});
