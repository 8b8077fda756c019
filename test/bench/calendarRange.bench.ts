// GET /v1/calendar/events for a 30-day range over 10,000 events: the query
// itself, and the whole HTTP request through the API (inject, no network).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndex } from '../../main/db/openIndex.ts';
import { listEventsInRange, writeEvents } from '../../main/db/queries/calendarEvents.ts';
import { eventInput, seedCalendar } from '../support/calendarFixtures.ts';
import { buildTestApi, TEST_HOST } from '../support/testApi.ts';
import { machine, median, percentile } from './benchStats.ts';

const EVENTS = 10_000;
const H = 3600_000;
const D = 24 * H;
const start = Date.UTC(2025, 0, 1);
const dir = mkdtempSync(join(tmpdir(), 'outpost-cal-bench-'));
const db = openIndex(join(dir, 'index.sqlite'));
try {
  const calendars = [
    seedCalendar(db, 'Work').calendarId,
    seedCalendar(db, 'Home').calendarId,
    seedCalendar(db, 'Team').calendarId,
  ];
  // ~14 events a day over two years, a few multi-day and a few very long ones.
  const events = Array.from({ length: EVENTS }, (_, i) => {
    const s = start + Math.floor(i / 14) * D + (8 + (i % 10)) * H;
    const length = i % 500 === 0 ? 40 * D : i % 97 === 0 ? 3 * D : H;
    return {
      calendar: calendars[i % 3] as number,
      input: eventInput({
        remoteId: `e${i}`,
        startsAt: s,
        endsAt: s + length,
        attendees: [{ email: 'a@example.test', name: 'A', response: 'accepted', optional: false, organizer: false, self: true }],
      }),
    };
  });
  for (const calendarId of calendars)
    writeEvents(
      db,
      calendarId,
      events.filter((e) => e.calendar === calendarId).map((e) => e.input),
    );
  db.pragma('optimize');

  const queryTimes: number[] = [];
  const httpTimes: number[] = [];
  let count = 0;
  const { app, token } = await buildTestApi(db, dir);
  for (let i = 0; i < 200; i++) {
    const from = start + ((i * 3) % 600) * D;
    const t = performance.now();
    count = listEventsInRange(db, { from, to: from + 30 * D }).length;
    queryTimes.push(performance.now() - t);
    const h = performance.now();
    const response = await app.inject({
      method: 'GET',
      url: `/v1/calendar/events?from=${new Date(from).toISOString()}&to=${new Date(from + 30 * D).toISOString()}`,
      headers: { host: TEST_HOST, authorization: `Bearer ${token}` },
    });
    if (response.statusCode !== 200) throw new Error(response.body);
    httpTimes.push(performance.now() - h);
  }
  await app.close();
  console.log(`machine: ${machine()}`);
  console.log(`${EVENTS.toLocaleString()} events; a 30-day range returns ~${count} events`);
  console.log(`range query: p50 ${median(queryTimes).toFixed(2)} ms, p95 ${percentile(queryTimes, 95).toFixed(2)} ms`);
  console.log(
    `GET /v1/calendar/events (inject, JSON included): p50 ${median(httpTimes).toFixed(2)} ms, p95 ${percentile(httpTimes, 95).toFixed(2)} ms`,
  );
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
