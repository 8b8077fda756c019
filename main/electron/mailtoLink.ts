import type { ComposeDraft } from '../../shared/composeDraft.ts';

export class MailtoError extends Error {}

const MAX_LENGTH = 64 * 1024;

/**
 * A mailto: URL (RFC 6068) -> a compose draft. Addresses come from the path
 * and from to/cc/bcc fields (repeatable, comma-separated); subject and body
 * are percent-decoded UTF-8; header names are case-insensitive. Other header
 * fields (e.g. "from", arbitrary headers) are ignored: a link a stranger
 * crafted must not choose the sender or inject headers.
 */
export function parseMailto(url: string): ComposeDraft {
  if (url.length > MAX_LENGTH) throw new MailtoError('mailto link is too long');
  if (!/^mailto:/i.test(url)) throw new MailtoError('not a mailto: link');
  const rest = url.slice('mailto:'.length);
  const queryStart = rest.indexOf('?');
  const path = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const query = queryStart === -1 ? '' : rest.slice(queryStart + 1);
  const draft: ComposeDraft = { to: splitAddresses(decode(path)), cc: [], bcc: [], subject: '', body: '' };
  for (const field of query.split('&')) {
    if (!field) continue;
    const eq = field.indexOf('=');
    const name = decode(eq === -1 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq === -1 ? '' : decode(field.slice(eq + 1));
    switch (name) {
      case 'to':
      case 'cc':
      case 'bcc':
        draft[name].push(...splitAddresses(value));
        break;
      case 'subject':
        draft.subject = stripLineBreaks(value);
        break;
      case 'body':
        draft.body = value.replace(/\r\n/g, '\n');
        break;
      case 'in-reply-to':
        draft.inReplyTo = stripLineBreaks(value).replace(/^<|>$/g, '');
        break;
    }
  }
  return draft;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new MailtoError('mailto link has invalid percent-encoding');
  }
}

function splitAddresses(value: string): string[] {
  return value
    .split(',')
    .map((a) => stripLineBreaks(a).trim())
    .filter(Boolean);
}

/** No CR/LF may reach a header field. */
function stripLineBreaks(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}
