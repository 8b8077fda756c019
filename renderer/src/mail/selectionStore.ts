import { create } from 'zustand';
import { useListStore } from './listStore.ts';
import { useNavigationStore } from './navigationStore.ts';

interface SelectionState {
  /** Threads ticked for a bulk action (Ctrl/Cmd-click, Shift-click for a range, x); always among the listed ones. */
  checked: ReadonlySet<string>;
  /** Where a Shift-click range starts: the thread ticked or unticked last. */
  anchor: string | null;
  /**
   * Every conversation of the view is selected, not only the loaded ones (Gmail's "Select all N
   * conversations"): the next action goes to the core with the view's definition instead of ids.
   */
  wholeView: boolean;
  /** After every loaded thread is ticked: the whole view instead. */
  selectWholeView(): void;
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
  wholeView: false,
  selectWholeView() {
    set({ checked: new Set(useListStore.getState().ids), wholeView: true });
  },
  toggleChecked(id) {
    set((s) => {
      const checked = new Set(s.checked);
      if (!checked.delete(id)) checked.add(id);
      return { checked, anchor: id, wholeView: false };
    });
  },
  checkRangeTo(id) {
    const { ids } = useListStore.getState();
    const anchor = get().anchor;
    const from = anchor ? ids.indexOf(anchor) : -1;
    const to = ids.indexOf(id);
    if (to < 0) return;
    const [a, b] = from < 0 ? [to, to] : [Math.min(from, to), Math.max(from, to)];
    set((s) => ({ checked: new Set([...s.checked, ...ids.slice(a, b + 1)]), anchor: id, wholeView: false }));
  },
  checkAll() {
    set({ checked: new Set(useListStore.getState().ids), wholeView: false });
  },
  clearChecked() {
    set({ checked: new Set(), anchor: null, wholeView: false });
  },
}));

// Ticks follow the list: a thread that leaves it (another view, archived, removed) is no longer ticked.
// The whole view stays selected while it is shown (rows loaded later are ticked too); another view ends it.
useListStore.subscribe((list, previous) => {
  if (list.ids === previous.ids) return;
  const { checked, anchor, wholeView } = useSelectionStore.getState();
  if (wholeView) {
    useSelectionStore.setState({ checked: new Set(list.ids) });
    return;
  }
  if (checked.size === 0 && anchor === null) return;
  const listed = new Set(list.ids);
  const kept = [...checked].filter((id) => listed.has(id));
  if (kept.length === checked.size && (anchor === null || listed.has(anchor))) return;
  useSelectionStore.setState({
    checked: new Set(kept),
    anchor: anchor !== null && listed.has(anchor) ? anchor : null,
  });
});

// Another view (a label, a search) is another selection.
useNavigationStore.subscribe((navigation, previous) => {
  if (navigation.view !== previous.view && useSelectionStore.getState().wholeView) useSelectionStore.getState().clearChecked();
});
