import { calendar } from '@googleapis/calendar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../main/api/auth/apiKeys.ts';
import { GOOGLE_SCOPES, MICROSOFT_SCOPES } from '../../main/auth/providerConfig.ts';
import { type Core, startCore } from '../../main/core/startCore.ts';
import { publicId } from '../../shared/ids.ts';
import { CALENDAR, signIn as googleSignIn } from '../emulator/google/harness.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser, signIn as graphSignIn } from '../emulator/microsoft/testAuth.ts';
import { autoConsentBrowser, emulatorControl, googleConfigFor, microsoftConfigFor } from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const DAY_MS = 24 * 3600 * 1000;
/** Inside the default sync window (90 days back, 180 ahead), whatever the day the test runs. */
const soon = (days: number, hour: number) => new Date(Math.floor(Date.now() / DAY_MS + days) * DAY_MS + hour * 3600_000);
const iso = (date: Date) => date.toISOString().replace('.000Z', 'Z');

interface IndexedAttendee {
  email: string;
  response: string;
  self: boolean;
  organizer: boolean;
}
interface ApiEvent {
  id: string;
  attendees: IndexedAttendee[];
}

/** What both providers' tests share: a core with the API, a write:calendar key, calendar syncs, the index's view. */
function rsvpHarness() {
  const dir = makeTempDir();
  const state = { core: undefined as unknown as Core, accountId: '', writeKey: '', readKey: '' };
  const api = async (path: string, body?: unknown, key = state.writeKey) => {
    const response = await fetch(`${state.core.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { data: ApiEvent; code?: string; message?: string } };
  };
  const syncCalendars = async (mode: 'full' | 'incremental' = 'incremental') => {
    const job = state.core.jobs.enqueue({ kind: 'calendar_sync', mode, accountIds: [state.accountId], params: {} });
    state.core.runner.wake();
    await state.core.runner.idle();
    return state.core.jobs.get(job.id);
  };
  /** The index's event of a provider id, with its public id. */
  const indexed = (remoteId: string) => {
    const row = state.core.db.prepare('SELECT id, attendees_json FROM events WHERE remote_id = ?').get(remoteId) as
      | { id: number; attendees_json: string }
      | undefined;
    if (!row) throw new Error(`${remoteId} is not in the index`);
    return { id: publicId('evt', row.id), attendees: JSON.parse(row.attendees_json) as IndexedAttendee[] };
  };
  const finish = (core: Core, accountId: string) => {
    state.core = core;
    state.accountId = accountId;
    state.writeKey = createApiKey(core.db, 'rsvp test', ['read:calendar', 'write:calendar']).key;
    state.readKey = createApiKey(core.db, 'read only', ['read:calendar']).key;
  };
  let emulator: RunningEmulator | undefined;
  /** The emulator (Google or Microsoft accounts, auto consent) and a core on it, with no account yet. */
  const start = async (provider: 'google' | 'microsoft') => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 5 },
      ...(provider === 'google' ? { serviceOptions: { google: { quotaEnabled: false } } } : {}),
    });
    const google = provider === 'google' ? googleConfigFor(emulator.baseUrl) : null;
    const microsoft = provider === 'microsoft' ? microsoftConfigFor(emulator.baseUrl) : null;
    const core = await startCore({
      dataDir: dir.path,
      port: 0,
      version: 'test',
      rendererDir: null,
      schedule: false,
      providers: { google, microsoft },
      ...(google ? { gmailQuota: { unitsPerSecond: 1_000_000 } } : {}),
    });
    return { emulator, core, google, microsoft };
  };
  const close = async () => {
    await state.core?.close();
    await emulator?.stop();
    dir.remove();
  };
  return { dir, state, api, syncCalendars, indexed, start, finish, close };
}

describe('answering invitations on Google Calendar (emulator): POST /v1/calendar/events/{id}/respond', () => {
  const USER = 'alice@gmail.test';
  const h = rsvpHarness();
  let emulator: RunningEmulator;
  let calendarApi: ReturnType<typeof calendar>;
  const ids = { invitation: '', organized: '', notInvited: '', series: '' };

  const createEvent = async (body: object) =>
    (
      (await emulatorControl(emulator)(`/google/users/${USER}/calendars/primary/events`, {
        method: 'POST',
        body,
      })) as unknown as { id: string }
    ).id;
  const remoteSelf = async (eventId: string) =>
    (await calendarApi.events.get({ calendarId: 'primary', eventId })).data.attendees?.find((a) => a.email === USER);

  beforeAll(async () => {
    const started = await h.start('google');
    emulator = started.emulator;
    const { core } = started;
    const account = await core.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
    h.finish(core, account.id);
    calendarApi = calendar({
      version: 'v3',
      auth: await googleSignIn(emulator, [CALENDAR]),
      rootUrl: `${emulator.baseUrl}/`,
    });
    const when = (days: number) => ({
      start: { dateTime: iso(soon(days, 15)), timeZone: 'UTC' },
      end: { dateTime: iso(soon(days, 16)), timeZone: 'UTC' },
    });
    const guests = [
      { email: 'bob@example.com', organizer: true, responseStatus: 'accepted' },
      { email: USER, self: true, responseStatus: 'needsAction' },
      { email: 'carol@example.com', responseStatus: 'tentative', comment: 'may be late' },
    ];
    ids.invitation = await createEvent({
      summary: 'Design review',
      ...when(3),
      organizer: { email: 'bob@example.com' },
      attendees: guests,
    });
    ids.organized = await createEvent({
      summary: 'My own meeting',
      ...when(4),
      organizer: { email: USER, self: true },
      attendees: [
        { email: USER, self: true, organizer: true, responseStatus: 'accepted' },
        { email: 'carol@example.com', responseStatus: 'needsAction' },
      ],
    });
    // Someone else's event shown in the user's calendar, the user not among its guests.
    ids.notInvited = await createEvent({
      summary: 'Office move',
      ...when(5),
      organizer: { email: 'bob@example.com' },
      attendees: [{ email: 'carol@example.com', responseStatus: 'accepted' }],
    });
    ids.series = await createEvent({
      summary: 'Weekly 1:1',
      ...when(6),
      recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'],
      organizer: { email: 'bob@example.com' },
      attendees: guests,
    });
    expect(await h.syncCalendars('full')).toMatchObject({ status: 'succeeded' });
  }, 60_000);
  afterAll(() => h.close());

  it('No: Google has the user declined (the others as they were), the answer shows at once, an incremental sync keeps it', async () => {
    const before = h.indexed(ids.invitation);
    expect(before.attendees.find((a) => a.self)).toMatchObject({ email: USER, response: 'needsAction' });
    const answer = await h.api(`/v1/calendar/events/${before.id}/respond`, { response: 'declined' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data.attendees.find((a) => a.self)).toMatchObject({ email: USER, response: 'declined' });
    expect((await remoteSelf(ids.invitation))?.responseStatus).toBe('declined');
    const remote = (await calendarApi.events.get({ calendarId: 'primary', eventId: ids.invitation })).data.attendees;
    expect(remote?.map((a) => [a.email, a.responseStatus, a.comment ?? null])).toEqual([
      ['bob@example.com', 'accepted', null],
      [USER, 'declined', null],
      ['carol@example.com', 'tentative', 'may be late'],
    ]);
    expect(h.indexed(ids.invitation).attendees.find((a) => a.self)?.response).toBe('declined');
    expect((await h.api(`/v1/calendar/events/${before.id}`)).body.data.attendees.find((a) => a.self)?.response).toBe('declined');
    expect(await h.syncCalendars()).toMatchObject({ status: 'succeeded' });
    expect(h.indexed(ids.invitation).attendees.find((a) => a.self)?.response).toBe('declined');
  });

  it('Maybe on one instance of a series answers that instance only, under its own id', async () => {
    const instances = h.state.core.db
      .prepare('SELECT remote_id FROM events WHERE series_remote_id = ? ORDER BY starts_at')
      .pluck()
      .all(ids.series) as string[];
    expect(instances).toHaveLength(3);
    const second = instances[1] as string;
    const answer = await h.api(`/v1/calendar/events/${h.indexed(second).id}/respond`, { response: 'tentative' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect((await remoteSelf(second))?.responseStatus).toBe('tentative');
    expect((await remoteSelf(instances[0] as string))?.responseStatus).toBe('needsAction');
    expect(await h.syncCalendars()).toMatchObject({ status: 'succeeded' });
    expect(instances.map((id) => h.indexed(id).attendees.find((a) => a.self)?.response)).toEqual([
      'needsAction',
      'tentative',
      'needsAction',
    ]);
  });

  it('refuses the organizer and someone not invited (400 validation_error), an unknown event (404), a read-only key (403)', async () => {
    const organizer = await h.api(`/v1/calendar/events/${h.indexed(ids.organized).id}/respond`, { response: 'accepted' });
    expect(organizer).toMatchObject({ status: 400, body: { code: 'validation_error' } });
    expect(organizer.body.message).toMatch(/organize/);
    const outsider = await h.api(`/v1/calendar/events/${h.indexed(ids.notInvited).id}/respond`, { response: 'accepted' });
    expect(outsider).toMatchObject({ status: 400, body: { code: 'validation_error' } });
    expect(outsider.body.message).toMatch(/not among the guests/);
    expect(await h.api('/v1/calendar/events/evt_999999/respond', { response: 'accepted' })).toMatchObject({
      status: 404,
      body: { code: 'not_found' },
    });
    const readOnly = await h.api(
      `/v1/calendar/events/${h.indexed(ids.invitation).id}/respond`,
      { response: 'accepted' },
      h.state.readKey,
    );
    expect(readOnly).toMatchObject({ status: 403, body: { code: 'insufficient_permissions' } });
    expect((await h.api(`/v1/calendar/events/${h.indexed(ids.invitation).id}/respond`, { response: 'yes' })).status).toBe(400);
    expect((await remoteSelf(ids.invitation))?.responseStatus).toBe('declined'); // none of these reached Google
  });

  it('Google refusing the patch is 502 provider_error, and the index keeps the answer it had', async () => {
    await emulatorControl(emulator)('/faults', {
      method: 'POST',
      body: { seed: 1, faults: [{ endpoint: 'calendar.events.patch', kind: 'status', status: 400, count: 1 }] },
    });
    const answer = await h.api(`/v1/calendar/events/${h.indexed(ids.invitation).id}/respond`, { response: 'accepted' });
    expect(answer).toMatchObject({ status: 502, body: { code: 'provider_error' } });
    expect(h.indexed(ids.invitation).attendees.find((a) => a.self)?.response).toBe('declined');
    expect((await remoteSelf(ids.invitation))?.responseStatus).toBe('declined');
  });
});

describe('answering invitations on Outlook (emulator): accept, tentativelyAccept, decline', () => {
  const USER = 'bob@contoso.test';
  const h = rsvpHarness();
  let emulator: RunningEmulator;
  let graphToken: string;
  const ids = { invitation: '', organized: '' };

  const graph = async (path: string) =>
    (await (
      await fetch(`${emulator.baseUrl}/v1.0/me${path}`, { headers: { authorization: `Bearer ${graphToken}` } })
    ).json()) as {
      responseStatus: { response: string };
      attendees: Array<{ status: { response: string }; emailAddress: { address: string } }>;
    };
  const when = (days: number) => ({
    start: { dateTime: iso(soon(days, 15)).slice(0, 19), timeZone: 'UTC' },
    end: { dateTime: iso(soon(days, 16)).slice(0, 19), timeZone: 'UTC' },
  });

  beforeAll(async () => {
    const started = await h.start('microsoft');
    emulator = started.emulator;
    const { core } = started;
    const account = await core.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
    h.finish(core, account.id);
    graphToken = await graphSignIn(emulator.baseUrl);
    const attendee = (address: string, response: string) => ({
      type: 'required',
      status: { response, time: '2026-01-01T00:00:00Z' },
      emailAddress: { address },
    });
    const create = async (event: object) =>
      (
        (await emulatorControl(emulator)('/microsoft/events', { method: 'POST', body: { event } })) as unknown as {
          id: string;
        }
      ).id;
    ids.invitation = await create({
      subject: 'Budget review',
      ...when(3),
      organizer: { emailAddress: { address: 'alice@contoso.test' } },
      attendees: [attendee('Bob@Contoso.test', 'none'), attendee('carol@fabrikam.test', 'accepted')],
    });
    ids.organized = await create({
      subject: 'My own meeting',
      ...when(4),
      attendees: [attendee('carol@fabrikam.test', 'none')],
    });
    expect(await h.syncCalendars('full')).toMatchObject({ status: 'succeeded' });
  }, 60_000);
  afterAll(() => h.close());

  it('sync marks as self the attendee whose address is the account email', () => {
    expect(h.indexed(ids.invitation).attendees.map((a) => [a.email, a.self, a.response])).toEqual([
      [USER, true, 'needsAction'],
      ['carol@fabrikam.test', false, 'accepted'],
    ]);
  });

  it.each([
    ['tentative', 'tentativelyAccepted'],
    ['accepted', 'accepted'],
    ['declined', 'declined'],
  ])('%s: Graph has %s, the index shows it at once, an incremental sync keeps it', async (response, graphResponse) => {
    const event = h.indexed(ids.invitation);
    const answer = await h.api(`/v1/calendar/events/${event.id}/respond`, { response });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.data.attendees.find((a) => a.self)?.response).toBe(response);
    const remote = await graph(`/events/${ids.invitation}`);
    expect(remote.responseStatus.response).toBe(graphResponse);
    expect(remote.attendees.map((a) => a.status.response)).toEqual([graphResponse, 'accepted']);
    expect(h.indexed(ids.invitation).attendees.find((a) => a.self)?.response).toBe(response);
    expect(await h.syncCalendars()).toMatchObject({ status: 'succeeded' });
    expect(h.indexed(ids.invitation).attendees.find((a) => a.self)?.response).toBe(response);
  });

  it('refuses the organizer (400 validation_error, Graph never asked) and an unknown event (404)', async () => {
    const organized = await h.api(`/v1/calendar/events/${h.indexed(ids.organized).id}/respond`, { response: 'declined' });
    expect(organized).toMatchObject({ status: 400, body: { code: 'validation_error' } });
    expect((await graph(`/events/${ids.organized}`)).responseStatus.response).toBe('organizer');
    expect(await h.api('/v1/calendar/events/evt_424242/respond', { response: 'declined' })).toMatchObject({
      status: 404,
      body: { code: 'not_found' },
    });
  });

  it('an event Graph no longer has is 502 provider_error (ErrorItemNotFound), the index unchanged', async () => {
    const event = h.indexed(ids.invitation);
    await emulatorControl(emulator)(`/microsoft/events/${encodeURIComponent(ids.invitation)}?user=${USER}`, { method: 'DELETE' });
    const answer = await h.api(`/v1/calendar/events/${event.id}/respond`, { response: 'accepted' });
    expect(answer).toMatchObject({ status: 502, body: { code: 'provider_error' } });
    expect(answer.body.message).toMatch(/ErrorItemNotFound/);
    expect(h.indexed(ids.invitation).attendees.find((a) => a.self)?.response).toBe('declined');
  });
});

describe('an Outlook account connected before Calendars.ReadWrite was asked for', () => {
  const h = rsvpHarness();
  let emulator: RunningEmulator;
  let invitation = '';

  beforeAll(async () => {
    const started = await h.start('microsoft');
    emulator = started.emulator;
    const { core } = started;
    // Connected as Outpost did before: the same scopes without Calendars.ReadWrite.
    const granted = MICROSOFT_SCOPES.splice(MICROSOFT_SCOPES.indexOf('Calendars.ReadWrite'), 1);
    try {
      h.finish(core, (await core.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser })).id);
    } finally {
      MICROSOFT_SCOPES.push(...granted);
    }
    invitation = (
      (await emulatorControl(emulator)('/microsoft/events', {
        method: 'POST',
        body: {
          event: {
            subject: 'Budget review',
            start: { dateTime: iso(soon(3, 15)).slice(0, 19), timeZone: 'UTC' },
            end: { dateTime: iso(soon(3, 16)).slice(0, 19), timeZone: 'UTC' },
            organizer: { emailAddress: { address: 'alice@contoso.test' } },
            attendees: [{ type: 'required', status: { response: 'none' }, emailAddress: { address: 'bob@contoso.test' } }],
          },
        },
      })) as unknown as { id: string }
    ).id;
    expect(await h.syncCalendars('full')).toMatchObject({ status: 'succeeded' });
  }, 60_000);
  afterAll(() => h.close());

  it('answering is 409 needs_reauth (Microsoft wants consent), while its syncs go on and the account stays connected', async () => {
    const answer = await h.api(`/v1/calendar/events/${h.indexed(invitation).id}/respond`, { response: 'accepted' });
    expect(answer).toMatchObject({ status: 409, body: { code: 'needs_reauth' } });
    expect(answer.body.message).toMatch(/reconnect/);
    expect(h.indexed(invitation).attendees[0]?.response).toBe('needsAction');
    expect(await h.syncCalendars()).toMatchObject({ status: 'succeeded' });
    expect(h.state.core.db.prepare('SELECT status FROM accounts WHERE id = ?').pluck().get(h.state.accountId)).not.toBe(
      'needs_reauth',
    );
  });
});

describe('a Google account connected before calendar.events was asked for', () => {
  const USER = 'alice@gmail.test';
  const h = rsvpHarness();
  let emulator: RunningEmulator;
  let invitation = '';

  beforeAll(async () => {
    const started = await h.start('google');
    emulator = started.emulator;
    const { core } = started;
    // Connected as Outpost did before: gmail.modify and calendar.readonly only.
    const granted = GOOGLE_SCOPES.splice(GOOGLE_SCOPES.indexOf('https://www.googleapis.com/auth/calendar.events'), 1);
    try {
      h.finish(core, (await core.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser })).id);
    } finally {
      GOOGLE_SCOPES.push(...granted);
    }
    invitation = (
      (await emulatorControl(emulator)(`/google/users/${USER}/calendars/primary/events`, {
        method: 'POST',
        body: {
          summary: 'Design review',
          start: { dateTime: iso(soon(3, 15)), timeZone: 'UTC' },
          end: { dateTime: iso(soon(3, 16)), timeZone: 'UTC' },
          organizer: { email: 'bob@example.com' },
          attendees: [{ email: USER, self: true, responseStatus: 'needsAction' }],
        },
      })) as unknown as { id: string }
    ).id;
    expect(await h.syncCalendars('full')).toMatchObject({ status: 'succeeded' });
  }, 60_000);
  afterAll(() => h.close());

  it('answering is 409 needs_reauth naming calendar.events, while its syncs go on', async () => {
    const answer = await h.api(`/v1/calendar/events/${h.indexed(invitation).id}/respond`, { response: 'accepted' });
    expect(answer).toMatchObject({ status: 409, body: { code: 'needs_reauth' } });
    expect(answer.body.message).toMatch(/calendar\.events/);
    expect(h.indexed(invitation).attendees[0]?.response).toBe('needsAction');
    expect(await h.syncCalendars()).toMatchObject({ status: 'succeeded' });
  });
});
