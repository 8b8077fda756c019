/**
 * Seeds Gmail mailboxes: "corpus" (the 6,046 real SpamAssassin messages with
 * labels, read states, reconstructed threads and a few large attachments) or
 * "synthetic:N" (N messages resampled from the corpus, rendered lazily).
 */
import { type CorpusMessage, loadCorpus } from '../kit/corpus.ts';
import { seededRandom } from '../kit/faults.ts';
import type { GmailLabel } from './mailbox.ts';
import { Mailbox, normalizeSubject } from './mailbox.ts';
import { headerValue, parseHeaders, splitHeaderBody } from './mimeTree.ts';

const USER_LABELS = ['Work', 'Receipts', 'Lists/SpamAssassin', 'Travel', 'Family'];
const CATEGORIES = ['CATEGORY_PERSONAL', 'CATEGORY_UPDATES', 'CATEGORY_FORUMS', 'CATEGORY_PROMOTIONS', 'CATEGORY_SOCIAL'];

interface Template {
  body: Buffer;
  subject: string;
  date: number;
  messageIdHeader: string;
  group: CorpusMessage['group'];
}

let templates: Template[] | undefined;

/** The corpus without its mbox "From " line; Date/Message-ID/Subject kept aside so synthetic copies can override them. */
function corpusTemplates(): Template[] {
  if (templates) return templates;
  templates = loadCorpus().map((c) => {
    const raw = Buffer.from(c.raw.toString('latin1').replace(/^From [^\n]*\n/, ''), 'latin1');
    const { head } = splitHeaderBody(raw);
    const headers = parseHeaders(head);
    const parsedDate = Date.parse(headerValue(headers, 'date') ?? '');
    const stripped = raw
      .toString('latin1')
      .replace(/^(date|message-id|subject|in-reply-to|references):.*(\r?\n[ \t].*)*\r?\n/gim, '');
    return {
      body: Buffer.from(stripped, 'latin1'),
      subject: headerValue(headers, 'subject') ?? '',
      date: Number.isFinite(parsedDate) ? parsedDate : Date.UTC(2002, 8, 1),
      messageIdHeader: (headerValue(headers, 'message-id') ?? '').trim(),
      group: c.group,
    };
  });
  return templates;
}

function addUserLabels(box: Mailbox): string[] {
  return USER_LABELS.map((name, i) => {
    const label: GmailLabel = {
      id: `Label_${i + 1}`,
      name,
      type: 'user',
      messageListVisibility: 'show',
      labelListVisibility: 'labelShow',
    };
    box.labels.set(label.id, label);
    return label.id;
  });
}

function labelsFor(group: CorpusMessage['group'], r: () => number, userLabels: string[]): string[] {
  if (group.startsWith('spam')) return r() < 0.5 ? ['SPAM', 'UNREAD'] : ['SPAM'];
  const labels = ['INBOX', CATEGORIES[Math.floor(r() * CATEGORIES.length)] as string];
  if (r() < 0.3) labels.push('UNREAD');
  if (r() < 0.05) labels.push('STARRED');
  if (r() < 0.15) labels.push('IMPORTANT');
  if (r() < 0.2) labels.push(userLabels[Math.floor(r() * userLabels.length)] as string);
  if (r() < 0.05) labels.splice(labels.indexOf('INBOX'), 1, 'TRASH');
  return labels;
}

export function seedCorpus(email: string): Mailbox {
  const box = new Mailbox(email);
  const userLabels = addUserLabels(box);
  const r = seededRandom(42);
  const corpus = loadCorpus();
  const sorted = corpus.map((c, i) => ({ c, i, t: corpusTemplates()[i] as Template })).sort((a, b) => a.t.date - b.t.date);
  for (const { c, i, t } of sorted) {
    const raw = Buffer.from(c.raw.toString('latin1').replace(/^From [^\n]*\n/, ''), 'latin1');
    box.add(
      {
        id: gmailStyleId(0x18000000000 + i * 7919),
        raw: () => raw,
        labelIds: labelsFor(c.group, r, userLabels),
        internalDate: t.date,
      },
      false,
    );
  }
  for (let k = 0; k < 3; k++)
    box.add(
      {
        raw: () => largeAttachmentMessage(email, k),
        labelIds: ['INBOX', 'CATEGORY_PERSONAL'],
        internalDate: Date.UTC(2002, 9, 1 + k),
      },
      false,
    );
  return box;
}

/** Deterministic 16-hex-digit ids, like Gmail's. */
function gmailStyleId(n: number): string {
  return n.toString(16).padStart(16, '1').slice(-16);
}

function largeAttachmentMessage(email: string, k: number): Buffer {
  const size = (k + 1) * 1024 * 1024;
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + k) & 0xff;
  const b64 = data.toString('base64').replace(/.{76}/g, '$&\r\n');
  const boundary = `large-${k}`;
  return Buffer.from(
    `From: Archive Robot <archive@example.org>\r\nTo: ${email}\r\nSubject: Quarterly archive ${k + 1}\r\nDate: ${new Date(Date.UTC(2002, 9, 1 + k)).toUTCString()}\r\nMessage-ID: <large-${k}@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe archive for this quarter is attached (${k + 1} MiB).\r\n--${boundary}\r\nContent-Type: application/octet-stream; name="archive-${k + 1}.bin"\r\nContent-Disposition: attachment; filename="archive-${k + 1}.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--${boundary}--\r\n`,
  );
}

/** N messages resampled from the corpus: new ids, dates (last ~3 years, one every few minutes) and threads. */
export function seedSynthetic(email: string, count: number, seed = 7): Mailbox {
  const box = new Mailbox(email);
  const userLabels = addUserLabels(box);
  const r = seededRandom(seed);
  const tpl = corpusTemplates();
  const end = Date.UTC(2026, 0, 1);
  const step = Math.max(1000, Math.floor((3 * 365 * 86_400_000) / Math.max(1, count)));
  const recent: Array<{ id: string; threadId: string; subject: string }> = [];
  for (let n = 0; n < count; n++) {
    const t = tpl[Math.floor(r() * tpl.length)] as Template;
    const id = gmailStyleId(0x17000000000 + n * 4099 + 1);
    const date = end - (count - n) * step + Math.floor(r() * step);
    const parent = recent.length > 0 && r() < 0.3 ? recent[Math.floor(r() * recent.length)] : undefined;
    const subject = parent ? `Re: ${parent.subject}` : t.subject;
    const messageIdHeader = `<${id}@synthetic.gmail.test>`;
    const parentId = parent?.id;
    const headPrefix = () =>
      `Date: ${new Date(date).toUTCString()}\r\nMessage-ID: ${messageIdHeader}\r\nSubject: ${subject}\r\n` +
      (parentId ? `In-Reply-To: <${parentId}@synthetic.gmail.test>\r\nReferences: <${parentId}@synthetic.gmail.test>\r\n` : '');
    const raw = () => Buffer.concat([Buffer.from(headPrefix(), 'latin1'), t.body]);
    const threadId = parent?.threadId ?? id;
    box.add(
      {
        id,
        raw,
        labelIds: labelsFor(t.group, r, userLabels),
        internalDate: date,
        threadId,
        known: { subject: normalizeSubject(subject), messageIdHeader },
        synthetic: { headPrefix, templateBody: t.body },
      },
      false,
    );
    if (!parent) {
      recent.push({ id, threadId, subject: t.subject });
      if (recent.length > 50) recent.shift();
    }
  }
  return box;
}
