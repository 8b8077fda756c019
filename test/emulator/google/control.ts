/** /_control/google/...: act as another client (history / sync-token changes follow), tokens, quota, windows. */
import type { EmulatorRequest, Route } from '../kit/types.ts';
import { findEvent, listWindow, patchEvent, serializeEvent } from './calendarRoutes.ts';
import { type CalendarAccount, type CalendarEvent, startMillis } from './calendarStore.ts';
import { applyEncoding, type GmailEncoding } from './encoding.ts';
import { badRequest, notFound } from './errors.ts';
import { jsonBody } from './gmailAccess.ts';
import { gmailId, type Mailbox } from './mailbox.ts';
import type { GoogleOAuth } from './oauth.ts';
import { calendarRefusalFrom, type GmailQuota } from './quota.ts';

export interface ControlDeps {
  now: () => number;
  oauth: GoogleOAuth;
  quota: GmailQuota;
  mailboxes: Map<string, Mailbox>;
  calendars: Map<string, CalendarAccount>;
  encoding: GmailEncoding;
}

const ok = (body: object = { ok: true }) => ({ status: 200, body });

export function googleControlRoutes(d: ControlDeps): Route[] {
  const box = (req: EmulatorRequest) =>
    d.mailboxes.get(req.params.email ?? '') ??
    (() => {
      throw notFound();
    })();
  const cal = (req: EmulatorRequest) => {
    const acct = d.calendars.get(req.params.email ?? '');
    const c = acct?.calendars.get(req.params.calendarId === 'primary' ? (acct?.email ?? '') : (req.params.calendarId ?? ''));
    if (!acct || !c) throw notFound();
    return { acct, c };
  };
  const route = (method: Route['method'], path: string, handler: Route['handler']): Route => ({
    method,
    path,
    endpoint: `control.google${path.replace(/\/:?/g, '.')}`,
    handler,
  });
  return [
    route('POST', '/tokens', (req) => {
      const b = jsonBody(req);
      if (typeof b.email !== 'string' || !Array.isArray(b.scopes)) throw badRequest('email and scopes required');
      return ok(d.oauth.mint(b.email, b.scopes as string[], typeof b.clientId === 'string' ? b.clientId : undefined));
    }),
    route('POST', '/revoke', (req) => ok({ revoked: d.oauth.revokeUser(String(jsonBody(req).email ?? '')) })),
    route('POST', '/expire-access-tokens', () => {
      d.oauth.expireAccessTokens();
      return ok();
    }),
    route('POST', '/consent', (req) => {
      d.oauth.options.autoConsent = jsonBody(req).autoConsent === true;
      return ok({ autoConsent: d.oauth.options.autoConsent });
    }),
    route('GET', '/quota', () =>
      ok({ unitsPerSecond: d.quota.unitsPerSecond, enabled: d.quota.enabled, spent: Object.fromEntries(d.quota.spent) }),
    ),
    route('POST', '/quota', (req) => {
      const b = jsonBody(req);
      if (typeof b.unitsPerSecond === 'number') d.quota.unitsPerSecond = b.unitsPerSecond;
      if (typeof b.enabled === 'boolean') d.quota.enabled = b.enabled;
      if (b.exceededStatus === 403 || b.exceededStatus === 429) {
        d.quota.exceededStatus = b.exceededStatus;
        d.quota.exceededReason = null;
      }
      if (b.exceededReason === 'rateLimitExceeded' || b.exceededReason === 'userRateLimitExceeded')
        d.quota.exceededReason = b.exceededReason;
      // The day's quota used up now, until the next midnight Pacific by the emulator's clock (or lifted early).
      if (b.dailyLimitExceeded === true) d.quota.exhaustDaily(d.now());
      if (b.dailyLimitExceeded === false) d.quota.dailyExhaustedUntil = null;
      if (b.maxConcurrent === null || (typeof b.maxConcurrent === 'number' && b.maxConcurrent >= 0))
        d.quota.maxConcurrent = b.maxConcurrent;
      // Calendar's refusals: {status: 403|429, reason, times?} answers the next `times` Calendar calls; null lifts it.
      if ('calendar' in b) {
        const refusal = calendarRefusalFrom(b.calendar);
        if (refusal === undefined) throw badRequest('calendar: {status: 403|429, reason, times?} or null');
        d.quota.calendarRefusal = refusal;
      }
      return ok({
        unitsPerSecond: d.quota.unitsPerSecond,
        enabled: d.quota.enabled,
        exceededStatus: d.quota.exceededStatus,
        exceededReason: d.quota.exceededReason,
        maxConcurrent: d.quota.maxConcurrent,
        calendar: d.quota.calendarRefusal,
        resetsAt: d.quota.dailyExhaustedUntil === null ? null : new Date(d.quota.dailyExhaustedUntil).toISOString(),
      });
    }),
    route('GET', '/encoding', () => ok({ ...d.encoding })),
    route('POST', '/encoding', (req) => ok({ ...applyEncoding(d.encoding, jsonBody(req)) })),
    route('POST', '/users/:email/messages', (req) => {
      const b = jsonBody(req);
      if (typeof b.raw !== 'string') throw badRequest('raw required (RFC 822 text)');
      const raw = Buffer.from(b.raw, b.encoding === 'base64url' ? 'base64url' : 'utf8');
      const m = box(req).add({
        raw: () => raw,
        labelIds: (b.labelIds as string[] | undefined) ?? ['INBOX', 'UNREAD'],
        internalDate: d.now(),
        threadId: typeof b.threadId === 'string' ? b.threadId : undefined,
      });
      return ok({ id: m.id, threadId: m.threadId, labelIds: m.labelIds, historyId: String(m.historyId) });
    }),
    route('POST', '/users/:email/threads/:threadId/reply', (req) => {
      const mb = box(req);
      const ids = mb.threads.get(req.params.threadId ?? '');
      const last = ids ? mb.messages.get(ids.at(-1) ?? '') : undefined;
      if (!last) throw notFound();
      const b = jsonBody(req);
      const text = last.raw().toString('latin1');
      const subject = /^subject:\s*(.*)$/im.exec(text)?.[1] ?? '';
      const raw = Buffer.from(
        `From: ${String(b.from ?? 'carol@example.com')}\r\nTo: ${mb.email}\r\nSubject: ${/^re:/i.test(subject) ? subject : `Re: ${subject}`}\r\nDate: ${new Date(d.now()).toUTCString()}\r\nMessage-ID: <${gmailId()}@example.com>\r\nIn-Reply-To: ${last.messageIdHeader}\r\nReferences: ${last.messageIdHeader}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${String(b.body ?? 'A reply.')}\r\n`,
      );
      const m = mb.add({ raw: () => raw, labelIds: ['INBOX', 'UNREAD'], internalDate: d.now() });
      return ok({ id: m.id, threadId: m.threadId, labelIds: m.labelIds, historyId: String(m.historyId) });
    }),
    route('POST', '/users/:email/messages/:id/modify', (req) => {
      const mb = box(req);
      const m = mb.messages.get(req.params.id ?? '');
      if (!m) throw notFound();
      const b = jsonBody(req);
      mb.modify(m, (b.addLabelIds as string[]) ?? [], (b.removeLabelIds as string[]) ?? []);
      return ok({ id: m.id, labelIds: m.labelIds, historyId: String(mb.historyId) });
    }),
    route('DELETE', '/users/:email/messages/:id', (req) => {
      const mb = box(req);
      const m = mb.messages.get(req.params.id ?? '');
      if (!m) throw notFound();
      mb.delete(m);
      return ok({ historyId: String(mb.historyId) });
    }),
    route('POST', '/users/:email/labels', (req) => {
      const mb = box(req);
      const name = String(jsonBody(req).name ?? '');
      if (!name) throw badRequest('name required');
      const id = `Label_${gmailId().slice(0, 10)}`;
      mb.labels.set(id, { id, name, type: 'user', messageListVisibility: 'show', labelListVisibility: 'labelShow' });
      return ok({ id, name });
    }),
    route('DELETE', '/users/:email/labels/:id', (req) => {
      const mb = box(req);
      const id = req.params.id ?? '';
      if (!mb.labels.has(id) || mb.labels.get(id)?.type === 'system') throw notFound();
      for (const m of mb.messages.values()) if (m.labelIds.includes(id)) mb.modify(m, [], [id]);
      mb.labels.delete(id);
      return ok();
    }),
    route('POST', '/users/:email/history/expire', (req) => {
      const mb = box(req);
      mb.expireHistory();
      return ok({ oldestHistoryId: String(mb.oldestHistoryId) });
    }),
    route('POST', '/users/:email/calendars/:calendarId/events', (req) => {
      const { acct, c } = cal(req);
      const b = jsonBody(req) as Partial<CalendarEvent>;
      if (!b.start || !b.end) throw badRequest('start and end required');
      const id = typeof b.id === 'string' ? b.id : gmailId();
      const now = new Date(d.now()).toISOString();
      const ev: CalendarEvent = {
        status: 'confirmed',
        organizer: { email: c.id },
        ...b,
        start: b.start,
        end: b.end,
        id,
        created: now,
        updated: now,
        iCalUID: `${id}@google.com`,
        sequence: 0,
        seq: acct.nextSeq(),
      };
      c.events.set(id, ev);
      return ok({ id });
    }),
    route('PATCH', '/users/:email/calendars/:calendarId/events/:eventId', (req) => {
      const { acct, c } = cal(req);
      const ev = patchEvent(acct, c, req.params.eventId ?? '', jsonBody(req), d.now());
      ev.seq = acct.nextSeq();
      ev.updated = new Date(d.now()).toISOString();
      return ok({ id: ev.id, status: ev.status });
    }),
    route('DELETE', '/users/:email/calendars/:calendarId/events/:eventId', (req) => {
      const { acct, c } = cal(req);
      const ev = findEvent(c, req.params.eventId ?? '', true);
      ev.status = 'cancelled';
      ev.seq = acct.nextSeq();
      ev.updated = new Date(d.now()).toISOString();
      return ok({ id: ev.id });
    }),
    route('POST', '/users/:email/calendars', (req) => {
      // A calendar subscribed or created elsewhere: it appears in calendarList.
      const acct = d.calendars.get(req.params.email ?? '');
      if (!acct) throw notFound();
      const b = jsonBody(req);
      if (typeof b.summary !== 'string') throw badRequest('summary required');
      const id = typeof b.id === 'string' ? b.id : `${gmailId()}@group.calendar.google.com`;
      acct.calendars.set(id, {
        id,
        summary: b.summary,
        timeZone: typeof b.timeZone === 'string' ? b.timeZone : 'UTC',
        accessRole: 'owner',
        backgroundColor: '#ac725e',
        events: new Map(),
        minValidSeq: 0,
      });
      return ok({ id });
    }),
    route('DELETE', '/users/:email/calendars/:calendarId', (req) => {
      // Unsubscribed (or deleted): gone from calendarList, its events with it.
      const { acct, c } = cal(req);
      if (c.primary) throw badRequest('the primary calendar cannot be removed');
      acct.calendars.delete(c.id);
      return ok();
    }),
    route('GET', '/users/:email/calendar-instances', (req) => {
      // Every calendar's events as events.list(singleEvents, timeMin, timeMax) answers them, with UTC instants.
      const acct = d.calendars.get(req.params.email ?? '');
      if (!acct) throw notFound();
      const minMs = Date.parse(req.url.searchParams.get('timeMin') ?? '');
      const maxMs = Date.parse(req.url.searchParams.get('timeMax') ?? '');
      if (!Number.isFinite(minMs) || !Number.isFinite(maxMs)) throw badRequest('timeMin and timeMax required');
      return ok({
        calendars: [...acct.calendars.values()].map((c) => ({
          id: c.id,
          timeZone: c.timeZone,
          instances: listWindow(c, minMs, maxMs, true, false, d.now()).map((e) => ({
            ...serializeEvent(c, e),
            startMs: startMillis(e.start, e.start.timeZone ?? c.timeZone),
            endMs: startMillis(e.end, e.start.timeZone ?? c.timeZone),
            originalStartMs: e.originalStartTime
              ? startMillis(e.originalStartTime, e.originalStartTime.timeZone ?? e.start.timeZone ?? c.timeZone)
              : null,
          })),
        })),
      });
    }),
    route('POST', '/users/:email/calendars/:calendarId/sync/expire', (req) => {
      const { acct, c } = cal(req);
      c.minValidSeq = acct.nextSeq();
      return ok({ minValidSeq: c.minValidSeq });
    }),
  ];
}
