/** Gmail users.getProfile, labels.*, threads.*, history.list. */

import type { EmulatorRequest, Route } from '../kit/types.ts';
import type { GmailEncoding } from './encoding.ts';
import { googleError, notFound } from './errors.ts';
import {
  byGmailId,
  GMAIL_SCOPES,
  type GmailDeps,
  intParam,
  jsonBody,
  openMailbox,
  pageToken,
  readPageToken,
  refuseUnderMetadataScope,
} from './gmailAccess.ts';
import { checkLabelName } from './gmailLabels.ts';
import { filterMessages, labelList } from './gmailMessages.ts';
import { type GmailLabel, gmailId, type HistoryType, type Mailbox } from './mailbox.ts';
import { parsed, readFormat, renderMessage } from './messageView.ts';

const U = '/gmail/v1/users/:userId';

function labelResource(box: Mailbox, label: GmailLabel, counts: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...label };
  if (counts) {
    let total = 0;
    let unread = 0;
    const threads = new Set<string>();
    const unreadThreads = new Set<string>();
    for (const m of box.messages.values()) {
      if (!m.labelIds.includes(label.id)) continue;
      total++;
      threads.add(m.threadId);
      if (m.labelIds.includes('UNREAD')) {
        unread++;
        unreadThreads.add(m.threadId);
      }
    }
    Object.assign(out, {
      messagesTotal: total,
      messagesUnread: unread,
      threadsTotal: threads.size,
      threadsUnread: unreadThreads.size,
    });
  }
  return out;
}

function threadResource(box: Mailbox, threadId: string, req: EmulatorRequest, encoding: GmailEncoding): Record<string, unknown> {
  const ids = byGmailId(box.threads, threadId);
  const format = readFormat(req.url.searchParams.get('format'));
  const msgs = ids
    .map((id) => box.messages.get(id))
    .filter((m) => m !== undefined)
    .sort((a, b) => a.internalDate - b.internalDate);
  const historyId = Math.max(...msgs.map((m) => m.historyId));
  return {
    id: threadId,
    historyId: String(historyId),
    messages: msgs.map((m) => renderMessage(m, format, req.url.searchParams.getAll('metadataHeaders'), encoding)),
  };
}

export function gmailThreadAndLabelRoutes(deps: GmailDeps): Route[] {
  const open = (req: EmulatorRequest, endpoint: string, scopes: readonly string[]) =>
    openMailbox(deps, req, endpoint, scopes).box;
  return [
    {
      method: 'GET',
      path: `${U}/profile`,
      endpoint: 'gmail.users.getProfile',
      handler: (req) => {
        // The reference lists full, modify, compose, readonly and metadata: not gmail.labels.
        const box = open(req, 'gmail.users.getProfile', [...GMAIL_SCOPES.read, 'https://www.googleapis.com/auth/gmail.compose']);
        return {
          status: 200,
          body: {
            emailAddress: box.email,
            messagesTotal: box.messages.size,
            threadsTotal: box.threads.size,
            historyId: String(box.historyId),
          },
        };
      },
    },
    {
      method: 'GET',
      path: `${U}/labels`,
      endpoint: 'gmail.users.labels.list',
      handler: (req) => ({
        status: 200,
        body: { labels: [...open(req, 'gmail.users.labels.list', GMAIL_SCOPES.labelsRead).labels.values()] },
      }),
    },
    {
      method: 'GET',
      path: `${U}/labels/:id`,
      endpoint: 'gmail.users.labels.get',
      handler: (req) => {
        const box = open(req, 'gmail.users.labels.get', GMAIL_SCOPES.labelsRead);
        const label = box.labels.get(req.params.id ?? '');
        if (!label) throw notFound();
        return { status: 200, body: labelResource(box, label, true) };
      },
    },
    {
      method: 'POST',
      path: `${U}/labels`,
      endpoint: 'gmail.users.labels.create',
      handler: (req) => {
        const box = open(req, 'gmail.users.labels.create', GMAIL_SCOPES.labelsWrite);
        const body = jsonBody(req);
        const name = checkLabelName(box, body.name);
        const label: GmailLabel = {
          id: `Label_${gmailId().slice(0, 10)}`,
          name,
          type: 'user',
          messageListVisibility: typeof body.messageListVisibility === 'string' ? body.messageListVisibility : 'show',
          labelListVisibility: typeof body.labelListVisibility === 'string' ? body.labelListVisibility : 'labelShow',
        };
        if (body.color && typeof body.color === 'object') label.color = body.color as GmailLabel['color'];
        box.labels.set(label.id, label);
        return { status: 200, body: label };
      },
    },
    {
      method: 'GET',
      path: `${U}/threads`,
      endpoint: 'gmail.users.threads.list',
      handler: (req) => {
        const { box, scopes } = openMailbox(deps, req, 'gmail.users.threads.list', GMAIL_SCOPES.read);
        refuseUnderMetadataScope(scopes, { q: req.url.searchParams.get('q') });
        const max = intParam(req, 'maxResults', 100, 500) || 100;
        const offset = readPageToken(req);
        const seen = new Set<string>();
        const threads: Array<{ id: string; snippet: string; historyId: string }> = [];
        for (const m of filterMessages(box, req)) {
          if (seen.has(m.threadId)) continue;
          seen.add(m.threadId);
          threads.push({ id: m.threadId, snippet: '', historyId: String(m.historyId) });
        }
        const page = threads.slice(offset, offset + max);
        for (const t of page) {
          const latest = box.messages.get((box.threads.get(t.id) ?? []).at(-1) ?? '');
          if (latest) t.snippet = parsed(latest).snippet;
        }
        const body: Record<string, unknown> = { resultSizeEstimate: threads.length };
        if (page.length > 0) body.threads = page;
        if (offset + max < threads.length) body.nextPageToken = pageToken(offset + max);
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      path: `${U}/threads/:id`,
      endpoint: 'gmail.users.threads.get',
      handler: (req) => {
        const { box, scopes } = openMailbox(deps, req, 'gmail.users.threads.get', GMAIL_SCOPES.messageRead);
        refuseUnderMetadataScope(scopes, { format: readFormat(req.url.searchParams.get('format')) });
        return { status: 200, body: threadResource(box, req.params.id ?? '', req, deps.encoding) };
      },
    },
    {
      method: 'POST',
      path: `${U}/threads/:id/modify`,
      endpoint: 'gmail.users.threads.modify',
      handler: (req) => {
        const box = open(req, 'gmail.users.threads.modify', GMAIL_SCOPES.modify);
        const ids = byGmailId(box.threads, req.params.id);
        const body = jsonBody(req);
        const add = labelList(box, body.addLabelIds, 'addLabelIds');
        const remove = labelList(box, body.removeLabelIds, 'removeLabelIds');
        for (const id of [...ids]) {
          const m = box.messages.get(id);
          if (m) box.modify(m, add, remove);
        }
        return { status: 200, body: threadResource(box, req.params.id ?? '', req, deps.encoding) };
      },
    },
    ...(['trash', 'untrash'] as const).map(
      (verb): Route => ({
        method: 'POST',
        path: `${U}/threads/:id/${verb}`,
        endpoint: `gmail.users.threads.${verb}`,
        handler: (req) => {
          const box = open(req, `gmail.users.threads.${verb}`, GMAIL_SCOPES.modify);
          const ids = byGmailId(box.threads, req.params.id);
          for (const id of [...ids]) {
            const m = box.messages.get(id);
            if (!m) continue;
            if (verb === 'trash') box.modify(m, ['TRASH'], ['SPAM']);
            else box.modify(m, [], ['TRASH']);
          }
          return { status: 200, body: threadResource(box, req.params.id ?? '', req, deps.encoding) };
        },
      }),
    ),
    {
      method: 'DELETE',
      path: `${U}/threads/:id`,
      endpoint: 'gmail.users.threads.delete',
      handler: (req) => {
        const box = open(req, 'gmail.users.threads.delete', GMAIL_SCOPES.delete);
        for (const id of [...byGmailId(box.threads, req.params.id)]) {
          const m = box.messages.get(id);
          if (m) box.delete(m);
        }
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: `${U}/history`,
      endpoint: 'gmail.users.history.list',
      handler: (req) => {
        const box = open(req, 'gmail.users.history.list', GMAIL_SCOPES.read);
        const startRaw = req.url.searchParams.get('startHistoryId');
        if (!startRaw) throw googleError(400, 'invalidArgument', 'Missing required parameter: startHistoryId', {});
        const start = Number(startRaw);
        if (!Number.isInteger(start) || start < 0) throw googleError(400, 'invalidArgument', 'Invalid startHistoryId');
        if (start < box.oldestHistoryId) throw notFound();
        const types = req.url.searchParams.getAll('historyTypes') as HistoryType[];
        const labelId = req.url.searchParams.get('labelId');
        const max = intParam(req, 'maxResults', 100, 500) || 100;
        const offset = readPageToken(req);
        const matching = box.history.filter(
          (r) =>
            r.id > start &&
            (types.length === 0 || types.includes(r.type)) &&
            (!labelId || r.message.labelIds.includes(labelId) || r.labelIds?.includes(labelId)),
        );
        // One history entry per history id, grouping that mutation's records, as Gmail does.
        const grouped: Array<Record<string, unknown>> = [];
        for (const r of matching) {
          let entry = grouped.at(-1);
          if (!entry || entry.id !== String(r.id)) {
            entry = { id: String(r.id), messages: [] };
            grouped.push(entry);
          }
          (entry.messages as object[]).push({ id: r.message.id, threadId: r.message.threadId });
          const key = {
            messageAdded: 'messagesAdded',
            messageDeleted: 'messagesDeleted',
            labelAdded: 'labelsAdded',
            labelRemoved: 'labelsRemoved',
          }[r.type];
          const item: Record<string, unknown> = { message: r.message };
          if (r.labelIds) item.labelIds = r.labelIds;
          entry[key] = [...((entry[key] as object[] | undefined) ?? []), item];
        }
        const page = grouped.slice(offset, offset + max);
        const body: Record<string, unknown> = { historyId: String(box.historyId) };
        if (page.length > 0) body.history = page;
        if (offset + max < grouped.length) body.nextPageToken = pageToken(offset + max);
        return { status: 200, body };
      },
    },
  ];
}
