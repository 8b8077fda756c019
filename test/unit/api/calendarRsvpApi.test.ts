import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../main/api/auth/apiKeys.ts';
import { type RsvpAnswer, RsvpRefusedError } from '../../../main/calendar/respondToEvent.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { type EventRow, getEvent, writeEvents } from '../../../main/db/queries/calendarEvents.ts';
import { ProviderError } from '../../../main/providers/providerErrors.ts';
import { eventInput, seedCalendar } from '../../support/calendarFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';
import { buildTestApi, TEST_HOST } from '../../support/testApi.ts';

/** The respond route over a stand-in for the core function: what it sends on, and how it maps each outcome. */
describe('POST /v1/calendar/events/{id}/respond', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let eventId = 0;
  let outcome: (id: number, answer: RsvpAnswer) => Promise<EventRow>;
  const calls: Array<[number, RsvpAnswer]> = [];

  const build = async (withCore: boolean) =>
    (
      await buildTestApi(
        db,
        dir.path,
        withCore
          ? {
              respondToEvent: (id: number, answer: RsvpAnswer) => {
                calls.push([id, answer]);
                return outcome(id, answer);
              },
            }
          : {},
      )
    ).app;
  const post = async (app: Awaited<ReturnType<typeof build>>, id: string, body: unknown) => {
    const response = await app.inject({
      method: 'POST',
      url: `/v1/calendar/events/${id}/respond`,
      headers: {
        host: TEST_HOST,
        authorization: `Bearer ${createApiKey(db, 't', ['write:calendar']).key}`,
        'content-type': 'application/json',
      },
      payload: JSON.stringify(body),
    });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(() => {
    db = openIndex(':memory:');
    const { calendarId } = seedCalendar(db);
    writeEvents(db, calendarId, [
      eventInput({
        remoteId: 'invite',
        startsAt: Date.UTC(2026, 2, 2, 9),
        endsAt: Date.UTC(2026, 2, 2, 10),
        attendees: [
          { email: 'cal@example.test', name: '', response: 'needsAction', optional: false, organizer: false, self: true },
        ],
      }),
    ]);
    eventId = (db.prepare("SELECT id FROM events WHERE remote_id = 'invite'").get() as { id: number }).id;
  });
  afterAll(() => {
    db.close();
    dir.remove();
  });

  it("sends the answer on and returns the event the core gives back, in GET's shape", async () => {
    const app = await build(true);
    outcome = async (id) => getEvent(db, id) as EventRow;
    const answer = await post(app, `evt_${eventId}`, { response: 'tentative' });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ id: `evt_${eventId}`, provider_event_id: 'invite' });
    expect(calls.at(-1)).toEqual([eventId, 'tentative']);
    await app.close();
  });

  it('maps refusals to 400/404 and provider failures to their codes; an answer outside the three is 400 before the core', async () => {
    const app = await build(true);
    const cases: Array<[Error, number, string]> = [
      [new RsvpRefusedError('organizer', 'you organize this event'), 400, 'validation_error'],
      [new RsvpRefusedError('not_invited', 'you are not among the guests'), 400, 'validation_error'],
      [new RsvpRefusedError('not_found', 'gone meanwhile'), 404, 'not_found'],
      [new ProviderError('network_error', 'cannot reach Google'), 503, 'network_error'],
      [new ProviderError('needs_reauth', 'refused the sign-in'), 409, 'needs_reauth'],
      [new ProviderError('quota_exceeded', 'throttled'), 503, 'quota_exceeded'],
      [new ProviderError('provider_error', 'Google answered 400', 400), 502, 'provider_error'],
    ];
    for (const [error, status, code] of cases) {
      outcome = async () => {
        throw error;
      };
      const answer = await post(app, `evt_${eventId}`, { response: 'declined' });
      expect([answer.status, answer.body.code], error.message).toEqual([status, code]);
      expect(answer.body.request_id).toBeTruthy();
    }
    const before = calls.length;
    expect((await post(app, `evt_${eventId}`, { response: 'maybe' })).status).toBe(400);
    expect((await post(app, 'evt_999', { response: 'accepted' })).body.code).toBe('not_found');
    expect((await post(app, 'thr_1', { response: 'accepted' })).body.code).toBe('not_found');
    expect(calls.length).toBe(before);
    await app.close();
  });

  it('answers 503 service_unavailable where no core answers invitations', async () => {
    const app = await build(false);
    expect(await post(app, `evt_${eventId}`, { response: 'accepted' })).toMatchObject({
      status: 503,
      body: { code: 'service_unavailable' },
    });
    await app.close();
  });
});
