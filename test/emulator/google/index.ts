/** The Google side of the emulator: OAuth, Gmail v1 (+ batch, quota), Calendar v3, control routes. */
import {
  type EmulatorContext,
  type EmulatorReply,
  type EmulatorRequest,
  type EmulatorService,
  HttpError,
  type SeedSpec,
} from '../kit/types.ts';
import { calendarRoutes, serializeEvent } from './calendarRoutes.ts';
import { type Calendar, type CalendarAccount, seedCalendars } from './calendarStore.ts';
import { googleControlRoutes } from './control.ts';
import { gmailEncodingDefaults } from './encoding.ts';
import { googleErrorReply } from './errors.ts';
import { gmailBatchRoute } from './gmailBatch.ts';
import { gmailDraftRoutes } from './gmailDrafts.ts';
import { gmailLabelRoutes } from './gmailLabels.ts';
import { gmailMessageRoutes } from './gmailMessages.ts';
import { gmailThreadAndLabelRoutes } from './gmailThreadsLabels.ts';
import { Mailbox } from './mailbox.ts';
import { seedCorpus, seedSynthetic } from './mailSeed.ts';
import { GoogleOAuth } from './oauth.ts';
import { GmailQuota, tooManyConcurrent } from './quota.ts';

export interface GoogleOptions {
  autoConsent?: boolean;
  /** Default 3600 (Google's); tests use a few seconds to exercise refresh. */
  accessTokenLifetimeSec?: number;
  clientIds?: string[];
  /** Gmail per-user units per moving second; default 250. */
  quotaUnitsPerSecond?: number;
  quotaEnabled?: boolean;
  /** History records retained per user before history.list answers 404 for older ids. */
  historyRetention?: number;
}

export const GOOGLE_USERS = { primary: 'alice@gmail.test', secondary: 'bob@gmail.test' };

const GOOGLE_PREFIXES = [
  '/gmail/',
  '/calendar/',
  '/batch/',
  '/o/oauth2/',
  '/token',
  '/revoke',
  '/tokeninfo',
  '/oauth2/',
  '/_control/google/',
];

export function createGoogleService(ctx: EmulatorContext, seed: SeedSpec, options: GoogleOptions = {}): EmulatorService {
  const mailboxes = new Map<string, Mailbox>();
  const calendars = new Map<string, CalendarAccount>();
  const primary =
    seed.kind === 'corpus'
      ? seedCorpus(GOOGLE_USERS.primary)
      : seed.kind === 'synthetic'
        ? seedSynthetic(GOOGLE_USERS.primary, seed.count)
        : new Mailbox(GOOGLE_USERS.primary);
  mailboxes.set(primary.email, primary);
  mailboxes.set(GOOGLE_USERS.secondary, new Mailbox(GOOGLE_USERS.secondary));
  for (const email of mailboxes.keys()) calendars.set(email, seedCalendars(email, ctx.now()));

  const oauth = new GoogleOAuth(
    ctx,
    {
      autoConsent: options.autoConsent ?? false,
      accessTokenLifetimeSec: options.accessTokenLifetimeSec ?? 3599,
      clientIds: options.clientIds,
    },
    () => [...mailboxes.keys()],
  );
  const quota = new GmailQuota(options.quotaUnitsPerSecond ?? 250, options.quotaEnabled ?? true);
  const retention = options.historyRetention ?? 100_000;
  const encoding = gmailEncodingDefaults();
  const gmail = { ctx, oauth, quota, mailboxes, encoding };
  const trimmed = <T>(routes: T[]) => routes;

  const routes = trimmed([
    ...oauth.routes(),
    ...gmailThreadAndLabelRoutes(gmail),
    ...gmailMessageRoutes(gmail),
    ...gmailDraftRoutes(gmail),
    ...gmailLabelRoutes(gmail),
    gmailBatchRoute(ctx, (req, parts) => {
      const email = oauth.userOf(req);
      const admission = email ? quota.admit(email, parts) : { admitted: parts, release: () => {} };
      return { ...admission, refusal: () => tooManyConcurrent().reply };
    }),
    ...calendarRoutes({ ctx, oauth, accounts: calendars, quota }),
  ]).map((r) => ({
    ...r,
    handler: async (req: EmulatorRequest) => {
      let reply: EmulatorReply;
      try {
        reply = await r.handler(req);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        reply = error.reply;
      }
      // Google's Date header, by the emulator's clock: a client counts the daily quota's reset (midnight Pacific) from it.
      reply = { ...reply, headers: { date: new Date(ctx.now()).toUTCString(), ...(reply.headers ?? {}) } };
      for (const box of mailboxes.values()) box.trimHistory(retention);
      return reply;
    },
  }));

  return {
    name: 'google',
    routes,
    controlRoutes: googleControlRoutes({ now: ctx.now, oauth, quota, mailboxes, calendars, encoding }),
    users: () => [...mailboxes.keys()].map((email) => ({ provider: 'google' as const, email })),
    urls: () => ({ google: ctx.baseUrl }),
    ownsEndpoint: (endpoint) => /^(gmail|calendar|oauth2)\./.test(endpoint),
    faultReply: (status) =>
      status === 429
        ? googleErrorReply(429, 'rateLimitExceeded', 'Rate Limit Exceeded', { domain: 'usageLimits' })
        : status === 500 || status === 503
          ? // Google's "Resolve errors" pages: 500 and 503 backendError, retry with exponential backoff.
            googleErrorReply(status, 'backendError', status === 503 ? 'The service is currently unavailable.' : 'Backend Error')
          : googleErrorReply(status, 'internalError', 'Internal error encountered.'),
    notFound: (req): EmulatorReply | undefined => {
      if (!GOOGLE_PREFIXES.some((p) => req.url.pathname.startsWith(p))) return undefined;
      return googleErrorReply(404, 'notFound', `Method not found.`);
    },
    snapshot: () =>
      Object.fromEntries(
        [...mailboxes.values()].map((box) => [
          box.email,
          {
            historyId: String(box.historyId),
            labels: [...box.labels.values()].map((l) => ({ id: l.id, name: l.name, type: l.type })),
            messages: box.sorted().map((m) => ({ id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] })),
            calendars: [...(calendars.get(box.email)?.calendars.values() ?? [])].map((c) => ({
              id: c.id,
              summary: c.summary,
              timeZone: c.timeZone,
              events: [...c.events.values()].map((e) => serializeEvent(c, e)),
            })),
          },
        ]),
      ),
    exportState: () => ({
      mailboxes: [...mailboxes.values()].map((box) => ({
        email: box.email,
        historyId: box.historyId,
        labels: [...box.labels.values()],
        drafts: [...box.drafts],
        messages: box.sorted().map((m) => ({
          id: m.id,
          threadId: m.threadId,
          labelIds: m.labelIds,
          internalDate: m.internalDate,
          raw: m.raw().toString('base64'),
        })),
      })),
      calendars: [...calendars.values()].map((a) => ({
        email: a.email,
        seq: a.seq,
        calendars: [...a.calendars.values()].map((c) => ({ ...c, events: [...c.events.values()] })),
      })),
    }),
    importState: (state) => {
      const s = state as {
        mailboxes: Array<{
          email: string;
          historyId: number;
          labels: Mailbox['labels'] extends Map<string, infer L> ? L[] : never;
          drafts?: Array<[string, string]>;
          messages: Array<{ id: string; threadId: string; labelIds: string[]; internalDate: number; raw: string }>;
        }>;
        calendars: Array<{ email: string; seq: number; calendars: Array<Record<string, unknown>> }>;
      };
      mailboxes.clear();
      for (const saved of s.mailboxes) {
        const box = new Mailbox(saved.email);
        for (const l of saved.labels) box.labels.set(l.id, l);
        for (const m of [...saved.messages].reverse()) {
          const raw = Buffer.from(m.raw, 'base64');
          box.add({ id: m.id, threadId: m.threadId, labelIds: m.labelIds, internalDate: m.internalDate, raw: () => raw }, false);
        }
        box.drafts = new Map(saved.drafts ?? []);
        box.historyId = saved.historyId;
        box.oldestHistoryId = saved.historyId;
        mailboxes.set(box.email, box);
      }
      calendars.clear();
      for (const a of s.calendars) {
        const acct = seedCalendars(a.email, ctx.now());
        acct.calendars.clear();
        acct.seq = a.seq;
        for (const c of a.calendars)
          acct.calendars.set(c.id as string, {
            ...(c as unknown as Calendar),
            events: new Map((c.events as Array<{ id: string }>).map((e) => [e.id, e as never])),
          });
        calendars.set(a.email, acct);
      }
    },
  };
}
