import { create } from 'zustand';
import { useReaderStore } from './readerStore.ts';

type Picker = 'label' | 'move';

interface PickerState {
  /** The label or move-to chooser open over the open thread (l, v), or null. */
  picker: Picker | null;
  /** Opens a chooser (only over an open thread) or closes it (null). */
  setPicker(picker: Picker | null): void;
}

export const usePickerStore = create<PickerState>((set) => ({
  picker: null,
  setPicker(picker) {
    set({ picker: picker && useReaderStore.getState().openThread ? picker : null });
  },
}));

// The chooser belongs to the thread it was opened over: another opening, or going back to the list, closes it.
useReaderStore.subscribe((reader, previous) => {
  if (reader.opening !== previous.opening || reader.openThread?.id !== previous.openThread?.id)
    usePickerStore.setState({ picker: null });
});
