import { type ReactNode, useEffect, useRef } from 'react';

/**
 * A modal that shows something fetched (an attachment, a message's source): a header with its
 * title, the caller's buttons and Close (focused on opening; Esc closes too), then the failure,
 * "Loading…" or the content.
 */
export function ViewerDialog({
  label,
  className,
  title,
  actions,
  error,
  loaded,
  onClose,
  children,
}: {
  label: string;
  className: string;
  title: ReactNode;
  actions: ReactNode;
  error: string | null;
  loaded: boolean;
  onClose(): void;
  children: ReactNode;
}) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-label={label}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <div className={`dialog viewer-dialog ${className}`}>
        <header>
          {title}
          {actions}
          <button type="button" ref={closeButton} onClick={onClose}>
            Close
          </button>
        </header>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {!loaded && !error && <p className="muted">Loading…</p>}
        {children}
      </div>
    </div>
  );
}
