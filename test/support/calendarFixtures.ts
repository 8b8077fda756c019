import type { IndexDb } from '../../main/db/openIndex.ts';
import { ensureAccount } from '../../main/db/queries/accounts.ts';
import { type EventInput, upsertCalendar } from '../../main/db/queries/calendarEvents.ts';

export function eventInput(overrides: Partial<EventInput> & Pick<EventInput, 'remoteId' | 'startsAt' | 'endsAt'>): EventInput {
  return {
    seriesRemoteId: null,
    originalStartAt: null,
    status: 'confirmed',
    summary: `Event ${overrides.remoteId}`,
    description: '',
    location: '',
    isAllDay: false,
    startDate: null,
    endDate: null,
    timeZone: 'Europe/Berlin',
    organizer: null,
    attendees: [],
    conferenceUrl: null,
    reminders: [10],
    webLink: null,
    updatedAt: null,
    ...overrides,
  };
}

export function seedCalendar(db: IndexDb, name = 'Work') {
  const account = ensureAccount(db, 'gmail', 'cal@example.test');
  const calendarId = upsertCalendar(db, account.id, {
    remoteId: `${name}@group`,
    name,
    color: '#4285f4',
    timeZone: 'Europe/Berlin',
    isPrimary: name === 'Work',
  });
  return { account, calendarId };
}
