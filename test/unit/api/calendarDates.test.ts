import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';
const DAY = 24 * 3600_000;

/**
 * The calendar routes read their dates with an ISO 8601 parser: a date that
 * does not exist is refused (not rolled into the next month), the basic and
 * extended forms are all accepted. Dates are in the coming year, whatever
 * year the test runs in.
 */
describe('ISO 8601 dates of the calendar routes', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  let key: string;
  const y = new Date().getUTCFullYear() + 1;

  beforeAll(async () => {
    db = openIndex(':memory:');
    ensureAccount(db, 'gmail', 'me@example.test');
    api = await buildLocalApi(db, dir.path, {
      handlers: { calendar_sync: async () => ({ eventsProcessed: 0 }) },
      rateLimits: { syncPerHour: 1000 },
    });
    key = api.key('write:calendar', 'read:calendar');
  });
  afterAll(async () => {
    await api.runner.stop();
    await api.app.close();
    db.close();
    dir.remove();
  });

  const syncWindow = (body: Record<string, string>) =>
    api.app.inject({
      method: 'POST',
      url: '/v1/calendar/sync',
      headers: { host, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ mode: 'full', ...body }),
    });
  const events = (query: string) =>
    api.app.inject({ method: 'GET', url: `/v1/calendar/events?${query}`, headers: { host, authorization: `Bearer ${key}` } });

  const impossible = [`${y}-02-30`, `${y}0230`, `${y}-04-31T10:00:00Z`, `${y}-13-01`, `${y}-12-01T25:00Z`, `${y}-12-01T09:60`];
  const valid: Array<[string, number]> = [
    [`${y}1201`, Date.UTC(y, 11, 1)],
    [`${y}-12-01`, Date.UTC(y, 11, 1)],
    [`${y}-12-01T09:00+01`, Date.UTC(y, 11, 1, 8)],
    [`${y}-12-01T09:00:00z`, Date.UTC(y, 11, 1, 9)],
    [`${y}-12-01t09:00:00.250Z`, Date.UTC(y, 11, 1, 9, 0, 0, 250)],
    [`${y}1201T0930-0130`, Date.UTC(y, 11, 1, 11)],
    [`${y}-12-01T09:00`, Date.UTC(y, 11, 1, 9)],
  ];

  it.each(impossible)('POST /v1/calendar/sync refuses from_date and to_date %s with 400 naming the field', async (date) => {
    const from = await syncWindow({ from_date: date, to_date: `${y + 1}-01-15` });
    expect(from.statusCode).toBe(400);
    expect(from.json()).toMatchObject({ code: 'validation_error', field: 'from_date' });
    const to = await syncWindow({ from_date: `${y}-01-15`, to_date: date });
    expect(to.statusCode).toBe(400);
    expect(to.json()).toMatchObject({ code: 'validation_error', field: 'to_date' });
  });

  it.each(valid)('POST /v1/calendar/sync accepts %s as the instant it names', async (date, ms) => {
    const res = await syncWindow({ from_date: date, to_date: new Date(ms + 30 * DAY).toISOString() });
    expect(res.statusCode).toBe(200);
    const params = JSON.parse(api.jobs.row(res.json().data.job_id)?.params_json ?? '{}');
    expect(params).toEqual({ from: new Date(ms).toISOString(), to: new Date(ms + 30 * DAY).toISOString() });
    await api.runner.idle();
  });

  it.each(impossible)('GET /v1/calendar/events refuses from and to %s with 400 naming the field', async (date) => {
    const from = await events(`from=${encodeURIComponent(date)}`);
    expect(from.statusCode).toBe(400);
    expect(from.json()).toMatchObject({ code: 'validation_error', field: 'from' });
    const to = await events(`from=${y}-01-01T00:00:00Z&to=${encodeURIComponent(date)}`);
    expect(to.statusCode).toBe(400);
    expect(to.json()).toMatchObject({ code: 'validation_error', field: 'to' });
  });

  it.each(valid)('GET /v1/calendar/events accepts from and to %s', async (date, ms) => {
    const asFrom = await events(`from=${encodeURIComponent(date)}&to=${encodeURIComponent(new Date(ms + DAY).toISOString())}`);
    expect(asFrom.statusCode).toBe(200);
    const asTo = await events(`from=${encodeURIComponent(new Date(ms - DAY).toISOString())}&to=${encodeURIComponent(date)}`);
    expect(asTo.statusCode).toBe(200);
  });
});
