import { loadCorpus } from '../kit/corpus.ts';
import type { SeedSpec } from '../kit/types.ts';
import { Calendars } from './calendarStore.ts';
import type { GraphUser } from './graphContext.ts';
import { stripEnvelope, summarize } from './headers.ts';
import { prng } from './ids.ts';
import { Mailbox } from './mailbox.ts';

const CATEGORIES = ['Red category', 'Blue category', 'Green category'];

/** bob@contoso.test holds the mailbox; alice@contoso.test is a second user to send to. */
export function seedUsers(seed: SeedSpec, now: () => number): GraphUser[] {
  const bob: GraphUser = {
    mailbox: new Mailbox('bob@contoso.test', 'Bob Kelly'),
    calendars: new Calendars('bob@contoso.test', now),
  };
  const alice: GraphUser = {
    mailbox: new Mailbox('alice@contoso.test', 'Alice Wong'),
    calendars: new Calendars('alice@contoso.test', now),
  };
  if (seed.kind === 'empty') return [bob, alice];
  const mb = bob.mailbox;
  const projects = mb.addFolder('Projects');
  const lists = mb.addFolder('Lists');
  const rand = prng(4242);
  const corpus = loadCorpus();
  const count = seed.kind === 'synthetic' ? seed.count : corpus.length;
  const base = Date.UTC(2026, 10, 1);
  const summaries = new Array<ReturnType<typeof summarize> | undefined>(corpus.length);
  for (let i = 0; i < count; i++) {
    const c = corpus[i % corpus.length]!;
    const raw = stripEnvelope(c.raw);
    const summary = summaries[i % corpus.length] ?? summarize(raw);
    summaries[i % corpus.length] = summary;
    const spam = c.group.startsWith('spam');
    const r = rand();
    const folder = spam
      ? mb.folder('junkemail')!
      : r < 0.6
        ? mb.folder('inbox')!
        : r < 0.75
          ? mb.folder('archive')!
          : r < 0.85
            ? lists
            : r < 0.92
              ? projects
              : mb.folder('sentitems')!;
    const synthetic = seed.kind === 'synthetic';
    mb.addMessage(raw, folder.id, {
      key: synthetic ? `syn/${i}` : c.key,
      summary,
      isRead: rand() < 0.7,
      flagStatus: rand() < 0.05 ? 'flagged' : 'notFlagged',
      categories: rand() < 0.08 ? [CATEGORIES[Math.floor(rand() * 3)]!] : [],
      // Synthetic copies get fresh dates (and ids/conversations) so they are distinct messages.
      receivedDateTime: synthetic ? base - Math.floor(rand() * 3 * 365 * 86_400_000) : undefined,
      conversationId:
        synthetic && i >= corpus.length ? `AAQk${Buffer.from(`syn-conv-${Math.floor(i / 3)}`).toString('base64url')}` : undefined,
    });
  }
  seedCalendars(bob, rand);
  return [bob, alice];
}

function seedCalendars(u: GraphUser, rand: () => number): void {
  const cal = u.calendars;
  const work = cal.defaultCalendar.id;
  const family = cal.addCalendar('Family', 'lightGreen').id;
  const attendee = (addr: string, response: string) => ({
    type: 'required',
    status: { response, time: '2026-01-01T00:00:00Z' },
    emailAddress: { name: addr.split('@')[0], address: addr },
  });
  // Recurring series crossing DST: weekly in New York (DST ends 2026-11-01), weekly in Berlin (ends 2026-10-25), daily in UTC.
  cal.upsert(work, {
    subject: 'Team standup',
    start: { dateTime: '2026-09-01T09:30:00.0000000', timeZone: 'Eastern Standard Time' },
    end: { dateTime: '2026-09-01T09:45:00.0000000', timeZone: 'Eastern Standard Time' },
    recurrence: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday', 'friday'] },
      range: { type: 'endDate', startDate: '2026-09-01', endDate: '2027-03-31' },
    },
    attendees: [attendee('alice@contoso.test', 'accepted'), attendee('carol@fabrikam.test', 'tentativelyAccepted')],
    isOnlineMeeting: true,
    location: { displayName: 'Teams' },
  });
  cal.upsert(work, {
    subject: 'Berlin sync',
    start: { dateTime: '2026-10-01T16:00:00.0000000', timeZone: 'Europe/Berlin' },
    end: { dateTime: '2026-10-01T17:00:00.0000000', timeZone: 'Europe/Berlin' },
    recurrence: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['thursday'] },
      range: { type: 'numbered', startDate: '2026-10-01', numberOfOccurrences: 20 },
    },
    attendees: [attendee('dieter@contoso.test', 'none')],
    location: { displayName: 'Room 4.12' },
  });
  cal.upsert(family, {
    subject: 'Piano lesson',
    start: { dateTime: '2026-09-05T10:00:00.0000000', timeZone: 'UTC' },
    end: { dateTime: '2026-09-05T11:00:00.0000000', timeZone: 'UTC' },
    recurrence: {
      pattern: { type: 'weekly', interval: 2, daysOfWeek: ['saturday'] },
      range: { type: 'noEnd', startDate: '2026-09-05' },
    },
  });
  const start = Date.UTC(2026, 8, 1);
  for (let i = 0; i < 300; i++) {
    const day = new Date(start + Math.floor(rand() * 180) * 86_400_000);
    const allDay = rand() < 0.1;
    const hour = 8 + Math.floor(rand() * 10);
    const d = day.toISOString().slice(0, 10);
    const next = new Date(day.getTime() + 86_400_000).toISOString().slice(0, 10);
    cal.upsert(rand() < 0.7 ? work : family, {
      subject: allDay ? `Out of office ${i}` : `Meeting ${i}`,
      isAllDay: allDay,
      start: {
        dateTime: allDay ? `${d}T00:00:00.0000000` : `${d}T${String(hour).padStart(2, '0')}:00:00.0000000`,
        timeZone: allDay ? 'UTC' : 'Pacific Standard Time',
      },
      end: {
        dateTime: allDay ? `${next}T00:00:00.0000000` : `${d}T${String(hour).padStart(2, '0')}:30:00.0000000`,
        timeZone: allDay ? 'UTC' : 'Pacific Standard Time',
      },
      attendees: rand() < 0.5 ? [attendee('alice@contoso.test', ['accepted', 'declined', 'none'][Math.floor(rand() * 3)]!)] : [],
      isOnlineMeeting: rand() < 0.3,
      location: { displayName: rand() < 0.5 ? 'Room 1' : '' },
    });
  }
}
