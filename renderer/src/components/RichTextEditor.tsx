import DOMPurify from 'dompurify';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { textToHtml } from '../composeDrafts.ts';

export interface RichTextHandle {
  /** The message as HTML to send: sanitized (no scripts, handlers, forms or frames). */
  html(): string;
  focus(): void;
}

const COMMANDS: Array<{ command: string; label: string; text: string; title: string }> = [
  { command: 'bold', label: 'Bold', text: 'B', title: 'Bold (Ctrl+B)' },
  { command: 'italic', label: 'Italic', text: 'I', title: 'Italic (Ctrl+I)' },
  { command: 'underline', label: 'Underline', text: 'U', title: 'Underline (Ctrl+U)' },
  { command: 'insertUnorderedList', label: 'Bulleted list', text: '•', title: 'Bulleted list' },
  { command: 'insertOrderedList', label: 'Numbered list', text: '1.', title: 'Numbered list' },
  { command: 'removeFormat', label: 'Clear formatting', text: 'T̸', title: 'Clear formatting' },
];

function plainText(element: HTMLElement | null): string {
  // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the line breaks of <div> and <br>; textContent loses them
  return element?.innerText ?? '';
}

/**
 * The rich-text body: an editable region started from the plain text (quotes
 * become blockquotes) with bold, italic, underline and lists (the browser's
 * own editing commands, so Ctrl+B/I/U and undo work as everywhere).
 * onText reports the plain text as it changes (the message's text part).
 */
export const RichTextEditor = forwardRef<
  RichTextHandle,
  { initialText: string; initialHtml?: string | undefined; onText(text: string): void; onHtml?(): void }
>(function RichTextEditor({ initialText, initialHtml, onText, onHtml }, ref) {
  const editor = useRef<HTMLDivElement>(null);
  const start = useRef(initialHtml ? DOMPurify.sanitize(initialHtml) : textToHtml(initialText));
  useEffect(() => {
    if (editor.current) editor.current.innerHTML = start.current;
  }, []);
  useImperativeHandle(ref, () => ({
    html: () =>
      DOMPurify.sanitize(editor.current?.innerHTML ?? '', {
        FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
      }),
    focus: () => editor.current?.focus(),
  }));
  return (
    <div className="rich-text">
      <div className="rich-toolbar" role="toolbar" aria-label="Formatting">
        {COMMANDS.map((c) => (
          <button
            key={c.command}
            type="button"
            aria-label={c.label}
            title={c.title}
            // The selection in the editor stays where it is.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => {
              document.execCommand(c.command);
              onText(plainText(editor.current));
              onHtml?.();
            }}
          >
            {c.text}
          </button>
        ))}
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: an editable rich-text region has no native element */}
      <div
        ref={editor}
        className="rich-body"
        role="textbox"
        aria-multiline="true"
        aria-label="Message"
        tabIndex={0}
        contentEditable
        suppressContentEditableWarning
        onInput={() => {
          onText(plainText(editor.current));
          onHtml?.();
        }}
      />
    </div>
  );
});
