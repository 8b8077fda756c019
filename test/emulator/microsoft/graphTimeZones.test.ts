import { describe, expect, it } from 'vitest';
import { graphEmulatorForFile } from './graphHarness.ts';
import { utcToZoned } from './recurrence.ts';
import { WINDOWS_ZONES } from './windowsZones.ts';

const { g } = graphEmulatorForFile({ seed: { kind: 'empty' } });
/** Wall clock "YYYY-MM-DDTHH:mm:ss" of an instant in an IANA zone. */
const wallClock = (instant: number, timeZone: string) => utcToZoned(instant, timeZone).slice(0, 19);

const create = (timeZone: string, subject = `Zone ${timeZone}`) =>
  g('/events', {
    method: 'POST',
    body: JSON.stringify({
      subject,
      start: { dateTime: '2026-07-01T12:00:00', timeZone },
      end: { dateTime: '2026-07-01T13:00:00', timeZone },
    }),
  });

describe("Graph time zones: CLDR's whole Windows table", () => {
  it('CLDR names well over a hundred Windows zones, the ones Outlook uses among them', () => {
    expect(WINDOWS_ZONES.size).toBeGreaterThan(130);
    expect(WINDOWS_ZONES.get('India Standard Time')).toMatch(/^Asia\/(Calcutta|Kolkata)$/);
    expect(WINDOWS_ZONES.get('AUS Eastern Standard Time')).toBe('Australia/Sydney');
    expect(WINDOWS_ZONES.get('Romance Standard Time')).toBe('Europe/Paris');
  });

  it('every Windows name is accepted as an event start/end timeZone and placed where CLDR puts it', async () => {
    const wrong: string[] = [];
    for (const [name, iana] of WINDOWS_ZONES) {
      const res = await create(name);
      if (res.status !== 201) {
        wrong.push(`${name}: ${res.status} ${(await res.text()).slice(0, 120)}`);
        continue;
      }
      const created = await res.json();
      expect(created.originalStartTimeZone).toBe(name);
      const utc = await (await g(`/events/${created.id}`, { headers: { prefer: 'outlook.timezone="UTC"' } })).json();
      const instant = Date.parse(`${utc.start.dateTime.slice(0, 19)}Z`);
      if (wallClock(instant, iana) !== '2026-07-01T12:00:00') wrong.push(`${name}: ${utc.start.dateTime} UTC`);
    }
    expect(wrong).toEqual([]);
  });

  it('every Windows name works in Prefer: outlook.timezone, the answer naming the zone asked for', async () => {
    const created = await (await create('UTC', 'Noon UTC')).json();
    const instant = Date.parse('2026-07-01T12:00:00Z');
    const wrong: string[] = [];
    for (const [name, iana] of WINDOWS_ZONES) {
      const res = await g(`/events/${created.id}`, { headers: { prefer: `outlook.timezone="${name}"` } });
      const body = await res.json();
      if (res.status !== 200) wrong.push(`${name}: ${res.status} ${body.error?.code}`);
      else if (body.start.timeZone !== name || body.start.dateTime !== `${wallClock(instant, iana)}.0000000`)
        wrong.push(`${name}: ${JSON.stringify(body.start)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('an unknown zone name is 400 TimeZoneNotSupportedException, in the event and in Prefer', async () => {
    const res = await create('Atlantis Standard Time');
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({
      code: 'TimeZoneNotSupportedException',
      message:
        "A valid TimeZone value must be specified. The following TimeZone value is not supported: 'Atlantis Standard Time'.",
    });
    const created = await (await create('Eastern Standard Time')).json();
    const viaPrefer = await g(`/events/${created.id}`, { headers: { prefer: 'outlook.timezone="Atlantis Standard Time"' } });
    expect(viaPrefer.status).toBe(400);
    expect((await viaPrefer.json()).error.code).toBe('TimeZoneNotSupportedException');
  });
});
