// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { emptyDraft } from '../../../../renderer/src/composeDrafts.ts';
import { useComposeStore } from '../../../../renderer/src/composeStore.ts';

const store = () => useComposeStore.getState();
const open = () =>
  store()
    .windows.filter((w) => !w.minimised)
    .map((w) => w.draft.subject);

describe('the compose dock (composeStore)', () => {
  beforeEach(() => useComposeStore.setState({ windows: [], notice: null, held: null }));

  it('opens each new message beside the others, and folds the oldest open one past three', () => {
    for (const subject of ['one', 'two', 'three']) store().compose({ ...emptyDraft(), subject });
    expect(open()).toEqual(['one', 'two', 'three']);
    store().compose({ ...emptyDraft(), subject: 'four' });
    expect(store().windows.map((w) => w.draft.subject)).toEqual(['one', 'two', 'three', 'four']);
    expect(open()).toEqual(['two', 'three', 'four']);
  });

  it('brings a draft already open forward (unfolded) instead of opening it twice', () => {
    store().compose({ ...emptyDraft(), subject: 'kept', draftId: 'd1' });
    const key = store().windows[0]?.key as string;
    store().setMinimised(key, true);
    store().compose({ ...emptyDraft(), subject: 'kept', draftId: 'd1' });
    expect(store().windows).toHaveLength(1);
    expect(store().windows[0]).toMatchObject({ key, minimised: false });
  });

  it('closes, sends and replaces one window without touching the others', () => {
    store().compose({ ...emptyDraft(), subject: 'a' });
    store().compose({ ...emptyDraft(), subject: 'b' });
    const [a, b] = store().windows;
    store().replace(a?.key as string, { ...emptyDraft(), subject: 'saved earlier', draftId: 'd9' });
    expect(store().windows.map((w) => w.draft.subject)).toEqual(['saved earlier', 'b']);
    store().sent(b?.key as string, 'sent', 'out_1');
    expect(store().windows.map((w) => w.draft.subject)).toEqual(['saved earlier']);
    expect(store().notice).toBe('Message sent.');
    store().close(store().windows[0]?.key as string);
    expect(store().windows).toEqual([]);
  });
});
