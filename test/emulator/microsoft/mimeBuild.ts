import { randomBytes } from 'node:crypto';

export interface MimeInput {
  from: string;
  to: string[];
  cc: string[];
  /** Kept in a draft's own copy (and the Sent Items copy); recipients never see it. */
  bcc?: string[];
  subject: string;
  html: boolean;
  content: string;
  attachments: Array<{ filename?: string; contentType?: string; content: Buffer }>;
  messageId: string;
  headers: Record<string, string>;
  date: Date;
}

/** Encoded-word for non-ASCII header text (RFC 2047). */
function word(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`;
}

const wrap76 = (b64: string) => b64.replace(/.{1,76}/g, '$&\r\n');

/** The RFC 822 message Exchange would store for a Graph JSON send (text or html body, optional attachments). */
export function buildMime(m: MimeInput): string {
  const head = [
    `From: ${m.from}`,
    m.to.length ? `To: ${m.to.join(', ')}` : '',
    m.cc.length ? `Cc: ${m.cc.join(', ')}` : '',
    m.bcc?.length ? `Bcc: ${m.bcc.join(', ')}` : '',
    `Subject: ${word(m.subject)}`,
    `Date: ${m.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${m.messageId}`,
    ...Object.entries(m.headers).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
  ].filter(Boolean);
  const bodyPart = `Content-Type: text/${m.html ? 'html' : 'plain'}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrap76(Buffer.from(m.content).toString('base64'))}`;
  if (!m.attachments.length) return `${head.join('\r\n')}\r\n${bodyPart}`;
  const boundary = `_b_${randomBytes(8).toString('hex')}`;
  const parts = [
    bodyPart,
    ...m.attachments.map(
      (a, i) =>
        `Content-Type: ${a.contentType ?? 'application/octet-stream'}; name="${word(a.filename ?? `attachment${i}`)}"\r\nContent-Disposition: attachment; filename="${word(a.filename ?? `attachment${i}`)}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrap76(a.content.toString('base64'))}`,
    ),
  ];
  return `${head.join('\r\n')}\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`;
}
