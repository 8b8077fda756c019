import { useShallow } from 'zustand/react/shallow';
import { type DockedCompose, useComposeStore } from '../composeStore.ts';
import { ComposeForm } from './ComposeForm.tsx';

/**
 * The messages being written, docked at the bottom right over the mail as in Gmail: side by side,
 * each folding to its title bar, while the list and the conversation stay usable beneath. Its
 * container (`.compose-dock`) sits above the list and the narrow window's drawer.
 */
export function ComposeDock() {
  const { windows, close, setMinimised, sent, replace } = useComposeStore(
    useShallow((s) => ({ windows: s.windows, close: s.close, setMinimised: s.setMinimised, sent: s.sent, replace: s.replace })),
  );
  if (windows.length === 0) return null;
  /** The keyboard goes back where it was when the window opened (the list, the conversation), if that is still there. */
  const closed = (window: DockedCompose, leave: () => void) => {
    leave();
    const back = window.returnFocus;
    if (back instanceof HTMLElement && back.isConnected) back.focus();
  };
  return (
    <section className="compose-dock" aria-label="Messages being written">
      {windows.map((w) => (
        <div key={w.key} className={`compose-docked${w.minimised ? ' minimised' : ''}`}>
          <ComposeForm
            initial={w.draft}
            initialAttachments={w.attachments}
            docked={{ minimised: w.minimised, onMinimise: (minimised) => setMinimised(w.key, minimised) }}
            onClose={() => closed(w, () => close(w.key))}
            onSent={(status, id, held) => closed(w, () => sent(w.key, status, id, held))}
            onRestore={(draft) => replace(w.key, draft)}
          />
        </div>
      ))}
    </section>
  );
}
