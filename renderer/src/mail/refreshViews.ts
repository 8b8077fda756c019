import { useListStore } from './listStore.ts';
import { useReaderStore } from './readerStore.ts';

/**
 * The loaded rows, the labels and the open thread read again from the core: for when changes may
 * have been missed (the event stream was down).
 */
export async function refreshMailViews(): Promise<void> {
  await useListStore.getState().refresh();
  const open = useReaderStore.getState().openThread;
  if (open) await useReaderStore.getState().reread(open.id);
}
