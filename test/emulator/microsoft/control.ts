import type { EmulatorReply, EmulatorRequest, Route } from '../kit/types.ts';
import { HttpError } from '../kit/types.ts';
import {
  cancelOccurrence,
  changeEvent,
  deleteEvent,
  eventJson,
  instances,
  occurrenceId,
  validateEvent,
} from './calendarRoutes.ts';
import { parseJsonBody } from './errors.ts';
import type { GraphEnv, GraphUser } from './graphContext.ts';
import { idPreference } from './ids.ts';
import { requireFolder, requireMessage } from './mailRoutes.ts';
import { buildMime } from './mimeBuild.ts';

const bad = (message: string) => new HttpError({ status: 400, body: { error: message } });
const ok = (body: object = { ok: true }): EmulatorReply => ({ status: 200, body });

/** Changes made "as another client would": each bumps the mailbox/calendar seq so the next delta round sees it. */
export function controlRoutes(env: GraphEnv): Route[] {
  const user = (req: EmulatorRequest, body: Record<string, unknown>): GraphUser => {
    const upn = String(body.user ?? req.url.searchParams.get('user') ?? 'bob@contoso.test').toLowerCase();
    const u = [...env.users.values()].find((x) => x.mailbox.upn === upn);
    if (!u) throw new HttpError({ status: 404, body: { error: `no user ${upn}` } });
    return u;
  };
  const body = (req: EmulatorRequest) => (req.body.length ? parseJsonBody(req.body) : {});
  const c = (method: Route['method'], path: string, handler: Route['handler']): Route => ({
    method,
    path,
    endpoint: `control.microsoft.${method} ${path}`,
    handler,
  });
  return [
    c('POST', '/messages', (req) => {
      const b = body(req);
      const u = user(req, b);
      const folder = requireFolder(u.mailbox, String(b.folder ?? 'inbox'));
      const raw =
        typeof b.raw === 'string'
          ? b.raw
          : buildMime({
              from: String(b.from ?? 'someone@example.test'),
              to: [u.mailbox.upn],
              cc: [],
              subject: String(b.subject ?? '(no subject)'),
              html: false,
              content: String(b.body ?? ''),
              attachments: [],
              messageId: `<ctl-${env.ctx.now()}-${Math.random().toString(36).slice(2)}@example.test>`,
              headers: (b.headers as Record<string, string>) ?? {},
              date: new Date(env.ctx.now()),
            });
      const m = u.mailbox.addMessage(raw, folder.id, {
        receivedDateTime: env.ctx.now(),
        isRead: b.isRead === true,
        isDraft: b.isDraft === true,
      });
      return {
        status: 201,
        body: { id: m.id, restId: m.restId, conversationId: m.conversationId, parentFolderId: m.parentFolderId },
      };
    }),
    c('POST', '/messages/:id/reply', (req) => {
      // Someone replies in an existing conversation: a new Inbox message threaded by In-Reply-To/References.
      const b = body(req);
      const u = user(req, b);
      const original = requireMessage(u.mailbox, req.params.id!);
      const s = original.summary;
      const raw = buildMime({
        from: String(b.from ?? s.from?.address ?? 'someone@example.test'),
        to: [u.mailbox.upn],
        cc: [],
        subject: `Re: ${s.subject}`,
        html: false,
        content: String(b.body ?? 'Reply'),
        attachments: [],
        messageId: `<ctl-reply-${env.ctx.now()}-${Math.random().toString(36).slice(2)}@example.test>`,
        headers: s.messageId ? { 'In-Reply-To': s.messageId, References: [...s.references, s.messageId].join(' ') } : {},
        date: new Date(env.ctx.now()),
      });
      const m = u.mailbox.addMessage(raw, u.mailbox.folder('inbox')!.id, {
        receivedDateTime: env.ctx.now(),
        conversationId: original.conversationId,
      });
      return { status: 201, body: { id: m.id, conversationId: m.conversationId } };
    }),
    c('PATCH', '/messages/:id', (req) => {
      const b = body(req);
      const u = user(req, b);
      const m = requireMessage(u.mailbox, req.params.id!);
      if (typeof b.isRead === 'boolean') m.isRead = b.isRead;
      if (typeof b.flagStatus === 'string') m.flagStatus = b.flagStatus as typeof m.flagStatus;
      if (Array.isArray(b.categories)) m.categories = b.categories as string[];
      if (b.inferenceClassification === 'focused' || b.inferenceClassification === 'other')
        m.inferenceClassification = b.inferenceClassification;
      u.mailbox.touch(m);
      return ok();
    }),
    c('POST', '/messages/:id/move', (req) => {
      const b = body(req);
      const u = user(req, b);
      u.mailbox.move(requireMessage(u.mailbox, req.params.id!), requireFolder(u.mailbox, String(b.folder)).id);
      return ok();
    }),
    c('DELETE', '/messages/:id', (req) => {
      const u = user(req, {});
      u.mailbox.remove(requireMessage(u.mailbox, req.params.id!));
      return ok();
    }),
    c('POST', '/events', (req) => {
      const b = body(req);
      const u = user(req, b);
      const ev = b.event as Record<string, unknown> | undefined;
      if (!ev) throw bad('body.event is required');
      validateEvent(ev);
      const calendarId = typeof b.calendarId === 'string' ? b.calendarId : u.calendars.defaultCalendar.id;
      return { status: 201, body: { id: u.calendars.upsert(calendarId, ev).id } };
    }),
    c('PATCH', '/events/:id', (req) => {
      const b = body(req);
      const u = user(req, b);
      const ev = u.calendars.events.get(req.params.id!);
      if (!ev) throw new HttpError({ status: 404, body: { error: 'no such event' } });
      const next = { ...ev.data, ...(b.event as object) };
      validateEvent(next);
      changeEvent(u.calendars, ev, () => {
        ev.data = next;
        u.calendars.touch(ev);
      });
      return ok();
    }),
    c('POST', '/events/:id/exception', (req) => {
      // A modified or cancelled occurrence of a series: {originalStartDate: "YYYY-MM-DD", event?: {...}, cancel?: true}
      const b = body(req);
      const u = user(req, b);
      const master = u.calendars.events.get(req.params.id!);
      if (!master?.data.recurrence) throw new HttpError({ status: 404, body: { error: 'no such series' } });
      const date = String(b.originalStartDate ?? '');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw bad('originalStartDate (YYYY-MM-DD) is required');
      const id = occurrenceId(master.id, date);
      const existing = u.calendars.events.get(id);
      if (b.cancel === true) {
        cancelOccurrence(u.calendars, master, date);
        return ok({ id });
      }
      const data = {
        ...(existing?.data ?? { ...master.data, recurrence: null, cancelledOccurrences: undefined }),
        ...(b.event as object),
        seriesMasterId: master.id,
        originalStartDate: date,
      };
      validateEvent(data);
      // The exception keeps the occurrence's id, as Exchange does.
      changeEvent(u.calendars, master, () => u.calendars.upsert(master.calendarId, data, id));
      return { status: 201, body: { id } };
    }),
    c('POST', '/events/:id/cancel', (req) => {
      const u = user(req, body(req));
      const ev = u.calendars.events.get(req.params.id!);
      if (!ev) throw new HttpError({ status: 404, body: { error: 'no such event' } });
      changeEvent(u.calendars, ev, () => {
        ev.cancelled = true;
        u.calendars.touch(ev);
      });
      return ok();
    }),
    c('DELETE', '/events/:id', (req) => {
      const u = user(req, {});
      const ev = u.calendars.events.get(req.params.id!);
      if (!ev) throw new HttpError({ status: 404, body: { error: 'no such event' } });
      deleteEvent(u.calendars, ev);
      return ok();
    }),
    c('POST', '/calendars', (req) => {
      // A calendar created by another client: it appears in /me/calendars.
      const b = body(req);
      const u = user(req, b);
      if (typeof b.name !== 'string') throw bad('name is required');
      const cal = u.calendars.addCalendar(b.name, typeof b.color === 'string' ? b.color : 'auto');
      return { status: 201, body: { id: cal.id } };
    }),
    c('DELETE', '/calendars/:id', (req) => {
      // Deleted by another client, with every event in it.
      const u = user(req, {});
      const cal = u.calendars.calendars.get(req.params.id!);
      if (!cal) throw new HttpError({ status: 404, body: { error: 'no such calendar' } });
      if (cal.isDefaultCalendar) throw bad('the default calendar cannot be deleted');
      u.calendars.calendars.delete(cal.id);
      for (const ev of [...u.calendars.events.values()]) if (ev.calendarId === cal.id) u.calendars.events.delete(ev.id);
      return ok();
    }),
    c('GET', '/calendar/instances', (req) => {
      // What calendarView answers over [startDateTime, endDateTime) for each calendar, times in UTC.
      const u = user(req, {});
      const from = Date.parse(req.url.searchParams.get('startDateTime') ?? '');
      const to = Date.parse(req.url.searchParams.get('endDateTime') ?? '');
      if (!Number.isFinite(from) || !Number.isFinite(to)) throw bad('startDateTime and endDateTime are required');
      return ok({
        calendars: [...u.calendars.calendars.values()].map((cal) => ({
          id: cal.id,
          instances: instances(u.calendars, cal.id, from, to).map((i) => ({
            ...eventJson(i, req),
            startMs: i.start,
            endMs: i.end,
            originalStartMs: i.originalStart ?? null,
          })),
        })),
      });
    }),
    c('POST', '/revoke', (req) => {
      const u = user(req, body(req));
      return ok({ revoked: env.identity.revokeRefreshTokens(u.mailbox.upn) });
    }),
    c('POST', '/invalidate-delta', (req) => {
      const u = user(req, body(req));
      // Bump the sequences so tokens minted from now on are told apart from the invalidated ones.
      u.mailbox.minValidSeq = ++u.mailbox.seq;
      u.calendars.minValidSeq = ++u.calendars.seq;
      return ok();
    }),
    c('GET', '/ids', () => ok(idPreference(env))),
    c('POST', '/ids', (req) => {
      // Test-only: answer as if no request asked for immutable ids (a client that forgot the header).
      const b = body(req);
      if (typeof b.ignoreImmutableIdPreference !== 'boolean') throw bad('ignoreImmutableIdPreference (boolean) is required');
      idPreference(env).ignoreImmutableIdPreference = b.ignoreImmutableIdPreference;
      return ok(idPreference(env));
    }),
    c('POST', '/throttle', (req) => {
      const b = body(req);
      if (b.requestsPerSecond !== undefined) env.rateLimitPerSec = Number(b.requestsPerSecond);
      try {
        env.limits.configure(b);
      } catch (error) {
        throw bad((error as Error).message);
      }
      return ok(throttleState(env));
    }),
    c('GET', '/throttle', () => ok(throttleState(env))),
  ];
}

function throttleState(env: GraphEnv) {
  return {
    requestsPerSecond: env.rateLimitPerSec,
    ...env.limits.settings,
    counts: env.limits.counts,
    inFlight: env.limits.inFlight(),
  };
}
