import { type ChangeEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { ComposeDraftListResponseBody } from '../../../shared/api/composeDrafts.ts';
import type { ComposeDraft } from '../../../shared/composeDraft.ts';
import { ApiRequestError, api } from '../apiClient.ts';
import {
  type Draft,
  draftFromSaved,
  formatSize,
  invalidAddresses,
  type PickedAttachment,
  sendBody,
  splitAddresses,
  swapSignature,
  withSignature,
} from '../composeDrafts.ts';
import { formatLongDate } from '../formatDate.ts';
import { type HeldMessage, undoSendSeconds } from '../undoSend.ts';
import { AddressField } from './AddressField.tsx';
import { RichTextEditor, type RichTextHandle } from './RichTextEditor.tsx';

const FIELD_LABELS: Record<string, string> = { to: 'To', cc: 'Cc', bcc: 'Bcc', subject: 'Subject', attachments: 'Attachments' };

/**
 * The send route takes up to 25 MiB of JSON; base64 makes files 4/3 larger, so
 * this much in files is what fits (Gmail's own limit is 25 MB after encoding).
 */
const MAX_ATTACHMENT_BYTES = 18 * 1024 * 1024;

/** How long typing pauses before what was typed is saved to the index. */
const AUTOSAVE_MS = 800;

/**
 * Writing a message: recipients (suggested from the index), subject, plain or
 * rich text, files from disk or dropped, sent through POST /v1/email/send with
 * one Idempotency-Key per draft, so a double click or a retry after a lost
 * answer sends it once. What is typed is saved to the index as it is typed,
 * and reopens from there. Ctrl/Cmd+Enter sends; Escape closes, asking first
 * when something was written.
 */
export function ComposeForm(props: {
  initial: Draft;
  /** Files of a message taken back with Undo, attached again. */
  initialAttachments?: Array<PickedAttachment & { key: string }>;
  onClose(): void;
  /** `held`: the message waits in the outbox for undo (status "queued" until it goes). */
  onSent(status: string, id: string, held?: HeldMessage): void;
  /** Reopen a saved unsent message in place of this empty one. */
  onRestore?(draft: Draft): void;
  /** Docked at the bottom of the mail: a title bar that folds it (minimise, restore) and closes it. */
  docked?: { minimised: boolean; onMinimise(minimised: boolean): void };
}) {
  const [to, setTo] = useState(props.initial.to.join(', '));
  const [cc, setCc] = useState(props.initial.cc.join(', '));
  const [bcc, setBcc] = useState(props.initial.bcc.join(', '));
  const [subject, setSubject] = useState(props.initial.subject);
  const [body, setBody] = useState(props.initial.body);
  const [attachments, setAttachments] = useState<Array<PickedAttachment & { key: string }>>(props.initialAttachments ?? []);
  /** A forward's original files still being fetched. */
  const [pending, setPending] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  /** The accounts this message can go from (connected mail accounts); a choice shows when there are several. */
  const senders = useSenders();
  const [from, setFrom] = useState(props.initial.from ?? '');
  /** The body as Outpost filled it in (with the signature): what counts as nothing written yet. */
  const [baseBody, setBaseBody] = useState(props.initial.body);
  const signatureOf = (address: string) => senders.find((a) => a.email === address)?.signature ?? '';
  const sendingAs = from || senders[0]?.email || '';
  // Once the accounts are known: a new message, reply or forward gets its account's signature (a reopened draft has its own).
  const signed = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, when the accounts arrive
  useEffect(() => {
    if (signed.current || senders.length === 0 || props.initial.draftId) return;
    signed.current = true;
    const next = withSignature(props.initial.body, signatureOf(sendingAs));
    if (next === props.initial.body) return;
    setBaseBody(next);
    setBody((current) => (current === props.initial.body ? next : current));
  }, [senders]);
  const chooseSender = (address: string) => {
    const next = swapSignature(body, signatureOf(sendingAs), signatureOf(address));
    if (body === baseBody) setBaseBody(next);
    setBody(next);
    setFrom(address);
  };
  const [dragging, setDragging] = useState(false);
  /** Rich text (HTML with a plain-text alternative) or plain text only. */
  const [rich, setRich] = useState(Boolean(props.initial.html));
  const richEditor = useRef<RichTextHandle>(null);
  /** The draft's id in the index, and its Idempotency-Key: a reopened draft sent twice still goes out once. */
  const [draftId] = useState(() => props.initial.draftId ?? crypto.randomUUID());
  const idempotencyKey = draftId;
  /** Bumped by edits the text state does not see (formatting). */
  const [htmlEdits, setHtmlEdits] = useState(0);
  const [saved, setSaved] = useState<'saving' | 'saved' | 'failed' | null>(null);
  const [confirmingClose, setConfirmingClose] = useState(false);
  const keepWriting = useRef<HTMLButtonElement>(null);
  // The question takes the focus, on its safest answer, so Enter or Escape does not lose the message.
  useEffect(() => {
    if (confirmingClose) keepWriting.current?.focus();
  }, [confirmingClose]);
  /** Send was pressed with no subject: mail clients ask first, then send it as it is. */
  const [askingNoSubject, setAskingNoSubject] = useState(false);
  const sendAnyway = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (askingNoSubject) sendAnyway.current?.focus();
  }, [askingNoSubject]);
  const fileInput = useRef<HTMLInputElement>(null);
  const toInput = useRef<HTMLInputElement>(null);
  const bodyInput = useRef<HTMLTextAreaElement>(null);
  const subjectInput = useRef<HTMLInputElement>(null);
  // The user opened compose: start where they will type (the body of a reply, else the recipients).
  const startsWithRecipients = props.initial.to.length === 0;
  // Opened, or unfolded again from the dock: the keyboard goes where the writing goes on.
  const minimised = props.docked?.minimised ?? false;
  const focusedOnce = useRef(false);
  useEffect(() => {
    if (minimised) return;
    const opening = !focusedOnce.current;
    focusedOnce.current = true;
    if (startsWithRecipients && !toInput.current?.value) toInput.current?.focus();
    else {
      bodyInput.current?.focus();
      if (opening) bodyInput.current?.setSelectionRange(0, 0);
    }
  }, [startsWithRecipients, minimised]);
  // A forward carries the original's files: their bytes come from the index through the API.
  const forwarded = props.initial.forwardAttachments;
  useEffect(() => {
    if (!forwarded?.length) return;
    let cancelled = false;
    setPending(forwarded.map((a) => a.filename));
    void Promise.all(
      forwarded.map(async (a) => {
        try {
          const blob = await api.attachment(a.id);
          if (cancelled) return;
          const picked = {
            key: a.id,
            filename: a.filename || 'attachment',
            mimeType: a.mime_type,
            size: blob.size,
            contentBase64: await toBase64(blob),
          };
          setAttachments((current) => [...current, picked]);
        } catch (caught) {
          if (!cancelled) setError(`Could not attach ${a.filename}: ${(caught as Error).message}`);
        } finally {
          if (!cancelled) setPending((p) => p.filter((name) => name !== a.filename));
        }
      }),
    );
    return () => {
      cancelled = true;
    };
  }, [forwarded]);
  const touched =
    to !== props.initial.to.join(', ') ||
    cc !== props.initial.cc.join(', ') ||
    bcc !== props.initial.bcc.join(', ') ||
    subject !== props.initial.subject ||
    body !== baseBody ||
    attachments.length > (forwarded?.length ?? 0);

  // Saved as typed (debounced); a reopened draft is saved again only once it changes.
  const everTouched = useRef(false);
  /** The save under way, so forgetting the draft (sent, discarded) waits for it instead of racing it. */
  const lastSave = useRef<Promise<unknown>>(Promise.resolve());
  const forgetDraft = () => {
    void lastSave.current.finally(() => api.deleteComposeDraft(draftId));
  };
  // A draft opened from Drafts is this window's at once (saved as it is), so sending or discarding it
  // unchanged removes the provider's draft too.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the window opens
  useEffect(() => {
    const source = props.initial.sourceMessageId;
    if (!source) return;
    lastSave.current = api
      .saveComposeDraft(draftId, {
        to: props.initial.to,
        cc: props.initial.cc,
        bcc: props.initial.bcc,
        subject: props.initial.subject,
        body_text: props.initial.body,
        ...(props.initial.threadId ? { thread_id: props.initial.threadId } : {}),
        ...(props.initial.from ? { from: props.initial.from } : {}),
        message_id: source,
      })
      .catch(() => setSaved('failed'));
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: htmlEdits re-saves when formatting changes the HTML but not the text
  useEffect(() => {
    if (!touched && !everTouched.current) return;
    everTouched.current = true;
    if (sending) return;
    setSaved('saving');
    const timer = setTimeout(() => {
      const html = rich ? richEditor.current?.html() : undefined;
      lastSave.current = api
        .saveComposeDraft(draftId, {
          to: splitAddresses(to),
          cc: splitAddresses(cc),
          bcc: splitAddresses(bcc),
          subject,
          body_text: body,
          ...(html ? { body_html: html } : {}),
          ...(props.initial.threadId ? { thread_id: props.initial.threadId } : {}),
          // The account whose Drafts keep it (at the provider too), and the provider draft it continues.
          ...(from ? { from } : {}),
          ...(props.initial.sourceMessageId ? { message_id: props.initial.sourceMessageId } : {}),
        })
        .then(
          () => setSaved('saved'),
          () => setSaved('failed'),
        );
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [to, cc, bcc, subject, body, rich, htmlEdits, touched, sending, draftId, props.initial.threadId, from]);

  const totalBytes = attachments.reduce((sum, a) => sum + a.size, 0);

  const addFiles = async (files: readonly File[]) => {
    const picked = await Promise.all(
      files.map(async (file) => ({
        key: crypto.randomUUID(),
        filename: file.name,
        mimeType: file.type,
        size: file.size,
        contentBase64: await toBase64(file),
      })),
    );
    setAttachments((current) => [...current, ...picked]);
  };
  const pickFiles = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    void addFiles(files);
  };

  const send = async (withoutSubject = false) => {
    if (sending) return;
    if (pending.length > 0) return setError(`Still attaching ${pending.join(', ')}…`);
    const draft: ComposeDraft = {
      to: splitAddresses(to),
      cc: splitAddresses(cc),
      bcc: splitAddresses(bcc),
      subject,
      body,
      ...(props.initial.threadId ? { threadId: props.initial.threadId } : {}),
      ...(props.initial.inReplyTo ? { inReplyTo: props.initial.inReplyTo } : {}),
      ...(from ? { from } : {}),
    };
    if (draft.to.length + draft.cc.length + draft.bcc.length === 0) return setError('Add at least one recipient.');
    const bad = invalidAddresses([...draft.to, ...draft.cc, ...draft.bcc]);
    if (bad.length > 0) return setError(`Not an email address: ${bad.join(', ')}`);
    if (totalBytes > MAX_ATTACHMENT_BYTES)
      return setError(
        `Attachments: ${formatSize(totalBytes)} in all; at most ${formatSize(MAX_ATTACHMENT_BYTES)} fit in one message.`,
      );
    if (!subject.trim() && !withoutSubject) {
      setError(null);
      return setAskingNoSubject(true);
    }
    setAskingNoSubject(false);
    setSending(true);
    setError(null);
    try {
      const html = rich ? richEditor.current?.html() : undefined;
      const delay = undoSendSeconds();
      // The draft's latest save first: the send names it, and it leaves Drafts with the send.
      await lastSave.current.catch(() => undefined);
      const { data } = await api.sendEmail(
        // draft_id: the saved draft leaves Drafts (and the provider's Drafts) as the message is queued.
        { ...sendBody(draft, attachments, html), draft_id: draftId, ...(delay ? { send_delay_seconds: delay } : {}) },
        idempotencyKey,
      );
      forgetDraft();
      // Taken back, it reopens as typed, under a new draft id (a new Idempotency-Key for the next send).
      const again: Draft = { ...draft, ...(html ? { html } : {}) };
      props.onSent(
        data.status,
        data.id,
        delay && data.status === 'queued' ? { id: data.id, seconds: delay, draft: again, attachments } : undefined,
      );
    } catch (caught) {
      const e = caught as Error;
      const field = e instanceof ApiRequestError && e.field ? `${FIELD_LABELS[e.field.split(/[.[]/)[0] ?? ''] ?? e.field}: ` : '';
      setError(`${field}${e.message}`);
      setSending(false);
    }
  };

  const discard = () => {
    forgetDraft();
    props.onClose();
  };
  /** Closing with something written, or a saved draft reopened, asks: discard it, or keep it for later (it is saved already). */
  const close = () => {
    if (!touched && !everTouched.current && !props.initial.draftId && !props.initial.sourceMessageId) return props.onClose();
    // A folded window opens to ask.
    props.docked?.onMinimise(false);
    setConfirmingClose(true);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (askingNoSubject) setAskingNoSubject(false);
      else if (confirmingClose) setConfirmingClose(false);
      else close();
    }
  };

  return (
    <form
      className={`compose${dragging ? ' dragging' : ''}${props.docked ? ' docked' : ''}${minimised ? ' minimised' : ''}`}
      aria-label="New message"
      onKeyDown={onKeyDown}
      // Files dropped anywhere on the message are attached.
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setDragging(false);
      }}
      onDrop={(event) => {
        if (event.dataTransfer.files.length === 0) return;
        event.preventDefault();
        setDragging(false);
        void addFiles([...event.dataTransfer.files]);
      }}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      {props.docked && (
        <DockTitleBar
          title={subject.trim() || (props.initial.threadId ? 'Reply' : 'New message')}
          minimised={minimised}
          onMinimise={props.docked.onMinimise}
          onClose={close}
        />
      )}
      {props.onRestore && isBlank(props.initial) && <UnsentDrafts except={draftId} onRestore={props.onRestore} />}
      {!props.initial.threadId && senders.length > 1 && (
        <label className="compose-from">
          From
          <select value={sendingAs} onChange={(e) => chooseSender(e.target.value)}>
            {senders.map(({ email }) => (
              <option key={email} value={email}>
                {email}
              </option>
            ))}
          </select>
        </label>
      )}
      <AddressField ref={toInput} label="To" value={to} onChange={setTo} />
      <AddressField label="Cc" value={cc} onChange={setCc} />
      <AddressField label="Bcc" value={bcc} onChange={setBcc} />
      <label>
        Subject
        <input ref={subjectInput} value={subject} onChange={(e) => setSubject(e.target.value)} />
      </label>
      {rich ? (
        <RichTextEditor
          ref={richEditor}
          initialText={body}
          initialHtml={props.initial.html}
          onText={setBody}
          onHtml={() => setHtmlEdits((n) => n + 1)}
        />
      ) : (
        <label className="compose-body">
          Message
          <textarea ref={bodyInput} value={body} onChange={(e) => setBody(e.target.value)} rows={14} />
        </label>
      )}
      {attachments.length > 0 && (
        <ul className="compose-attachments" aria-label={`Attachments, ${formatSize(totalBytes)}`}>
          {attachments.map((a) => (
            <li key={a.key}>
              {a.filename} <span className="size">{formatSize(a.size)}</span>
              <button
                type="button"
                aria-label={`Remove ${a.filename}`}
                onClick={() => setAttachments((current) => current.filter((other) => other.key !== a.key))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {pending.length > 0 && <p className="muted">Attaching {pending.join(', ')}…</p>}
      {error && (
        <p className="compose-error" role="alert">
          {error}
        </p>
      )}
      <div className="compose-actions">
        <button type="submit" disabled={sending}>
          {sending ? 'Sending…' : 'Send'}
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Attach files
        </button>
        <input ref={fileInput} type="file" multiple hidden aria-label="Attach files" onChange={pickFiles} />
        <button
          type="button"
          aria-pressed={rich}
          title={rich ? 'Back to plain text (formatting is dropped)' : 'Bold, italic, lists: sent as HTML with a plain-text copy'}
          onClick={() => setRich((r) => !r)}
        >
          Rich text
        </button>
        <button type="button" onClick={close}>
          Discard
        </button>
        <span className="muted compose-saved" aria-live="polite">
          {saved === 'saving' ? 'Saving…' : saved === 'saved' ? 'Draft saved' : saved === 'failed' ? 'Not saved' : ''}
        </span>
      </div>
      {askingNoSubject && (
        <div className="compose-confirm" role="alertdialog" aria-label="Send without a subject?">
          <span>Send this message without a subject?</span>
          <button type="button" ref={sendAnyway} onClick={() => void send(true)}>
            Send anyway
          </button>
          <button
            type="button"
            onClick={() => {
              setAskingNoSubject(false);
              subjectInput.current?.focus();
            }}
          >
            Add a subject
          </button>
        </div>
      )}
      {confirmingClose && (
        <div className="compose-confirm" role="alertdialog" aria-label="Close this message?">
          <span>Discard this message, or keep it to finish later?</span>
          <button type="button" onClick={discard}>
            Discard
          </button>
          <button type="button" onClick={props.onClose}>
            Keep as draft
          </button>
          <button type="button" ref={keepWriting} onClick={() => setConfirmingClose(false)}>
            Keep writing
          </button>
        </div>
      )}
    </form>
  );
}

/** A docked window's bar: its subject (a click folds or unfolds it), Minimise or Restore, and Close. */
function DockTitleBar(props: { title: string; minimised: boolean; onMinimise(minimised: boolean): void; onClose(): void }) {
  return (
    <div className="compose-titlebar">
      <button
        type="button"
        className="compose-title"
        aria-expanded={!props.minimised}
        onClick={() => props.onMinimise(!props.minimised)}
      >
        {props.title}
      </button>
      <button
        type="button"
        aria-label={props.minimised ? 'Restore' : 'Minimise'}
        title={props.minimised ? 'Restore' : 'Minimise'}
        onClick={() => props.onMinimise(!props.minimised)}
      >
        {props.minimised ? '▴' : '▁'}
      </button>
      <button type="button" aria-label="Close" title="Close (asks to discard or keep what was written)" onClick={props.onClose}>
        ×
      </button>
    </div>
  );
}

async function toBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function isBlank(draft: Draft): boolean {
  return (
    !draft.draftId &&
    !draft.threadId &&
    draft.to.length + draft.cc.length + draft.bcc.length === 0 &&
    !draft.subject &&
    !draft.body.trim() &&
    !draft.forwardAttachments?.length
  );
}

/** A new message offers the unsent ones saved earlier (newest three). */
function UnsentDrafts({ except, onRestore }: { except: string; onRestore(draft: Draft): void }) {
  const [drafts, setDrafts] = useState<ComposeDraftListResponseBody['data']>([]);
  useEffect(() => {
    api.composeDrafts().then(
      ({ data }) => setDrafts(data.filter((d) => d.id !== except).slice(0, 3)),
      () => {},
    );
  }, [except]);
  if (drafts.length === 0) return null;
  return (
    <section className="unsent-drafts" aria-label="Unsent messages">
      <span className="muted">Unsent:</span>
      {drafts.map((d) => (
        <button
          key={d.id}
          type="button"
          onClick={() => onRestore(draftFromSaved(d))}
          title={`Saved ${formatLongDate(d.updated_at)}`}
        >
          {d.subject || '(no subject)'}
          {d.to.length > 0 && <span className="muted"> to {d.to.join(', ')}</span>}
        </button>
      ))}
    </section>
  );
}

/** The accounts that can send (not imported mail) with their signatures, in the order the core lists them. */
function useSenders(): Array<{ email: string; signature: string }> {
  const [senders, setSenders] = useState<Array<{ email: string; signature: string }>>([]);
  useEffect(() => {
    api.listAccounts().then(
      ({ data }) =>
        setSenders(
          data
            .filter((a) => a.capabilities.send && a.status === 'active')
            .map((a) => ({ email: a.email, signature: a.signature })),
        ),
      () => {},
    );
  }, []);
  return senders;
}
