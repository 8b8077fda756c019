/** A useful subset of Gmail's search operators, evaluated against stored messages. */
import type { Mailbox, StoredMessage } from './mailbox.ts';
import { parsed } from './messageView.ts';
import { headerValue, parseHeaders, splitHeaderBody } from './mimeTree.ts';

type Test = (msg: StoredMessage, box: Mailbox) => boolean;

function headerOf(msg: StoredMessage, name: string): string {
  return (headerValue(parseHeaders(splitHeaderBody(msg.raw()).head), name) ?? '').toLowerCase();
}

function parseDate(v: string): number {
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const [y, m, d] = v.split(/[/-]/).map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

function labelIdFor(box: Mailbox, name: string): string {
  const upper = name.toUpperCase();
  if (box.labels.has(upper)) return upper;
  for (const l of box.labels.values())
    if (l.name.toLowerCase() === name.toLowerCase().replace(/-/g, ' ') || l.name.toLowerCase() === name.toLowerCase())
      return l.id;
  return `\u0000${name}`;
}

export interface CompiledQuery {
  test: Test;
  /** The query itself names spam or trash, so those are not excluded. */
  mentionsSpamTrash: boolean;
}

export function compileQuery(q: string): CompiledQuery {
  const tokens = q.match(/-?\w+:"[^"]*"|-?\w+:\S+|-?"[^"]*"|\S+/g) ?? [];
  const tests: Test[] = [];
  let mentionsSpamTrash = false;
  for (let token of tokens) {
    const negate = token.startsWith('-');
    if (negate) token = token.slice(1);
    const colon = token.indexOf(':');
    const op = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
    const value = (colon > 0 ? token.slice(colon + 1) : token).replace(/^"(.*)"$/, '$1').toLowerCase();
    let test: Test;
    switch (op) {
      case 'from':
      case 'to':
      case 'cc':
      case 'subject':
        test = (m) => headerOf(m, op).includes(value);
        break;
      case 'label':
      case 'in':
        if (['spam', 'trash', 'anywhere'].includes(value)) mentionsSpamTrash = true;
        test = value === 'anywhere' ? () => true : (m, box) => m.labelIds.includes(labelIdFor(box, value));
        break;
      case 'is':
        test =
          value === 'unread'
            ? (m) => m.labelIds.includes('UNREAD')
            : value === 'read'
              ? (m) => !m.labelIds.includes('UNREAD')
              : (m) => m.labelIds.includes(value.toUpperCase());
        break;
      case 'has':
        test =
          value === 'attachment'
            ? (m) => /content-disposition:\s*attachment|filename=/i.test(m.raw().toString('latin1'))
            : () => false;
        break;
      case 'after':
        test = (m) => m.internalDate >= parseDate(value);
        break;
      case 'before':
        test = (m) => m.internalDate < parseDate(value);
        break;
      case 'rfc822msgid':
        test = (m) => m.messageIdHeader.toLowerCase().replace(/[<>]/g, '') === value.toLowerCase().replace(/[<>]/g, '');
        break;
      default: {
        const word = op ? token.toLowerCase() : value;
        test = (m) =>
          m.subject.includes(word) ||
          headerOf(m, 'from').includes(word) ||
          parsed(m).snippet.toLowerCase().includes(word) ||
          m.raw().toString('latin1').toLowerCase().includes(word);
      }
    }
    tests.push(negate ? (m, b) => !test(m, b) : test);
  }
  return { test: (m, b) => tests.every((t) => t(m, b)), mentionsSpamTrash };
}
