import { describe, expect, it } from 'vitest';
import { graphEventInput } from '../../../main/providers/graph/graphCalendarSync.ts';
import { WINDOWS_ZONES } from '../../emulator/microsoft/windowsZones.ts';

/** UTC offsets (minutes) of a zone at the first of every month over several years: its rules, whatever its name. */
function offsets(timeZone: string): number[] {
  const out: number[] = [];
  for (let year = 2020; year <= 2030; year++)
    for (let month = 0; month < 12; month++) {
      const t = Date.UTC(year, month, 1, 12);
      const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
        .formatToParts(new Date(t))
        .find((p) => p.type === 'timeZoneName')!.value;
      const m = /GMT(?:([+-])(\d\d):(\d\d))?/.exec(name)!;
      out.push(m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0);
    }
  return out;
}

describe("Outpost's Windows time-zone mapping (windows-iana) against CLDR's windowsZones", () => {
  it('every Windows zone name maps to the zone CLDR names, or one with the same rules', () => {
    const disagree: string[] = [];
    for (const [windows, cldr] of WINDOWS_ZONES) {
      const mapped = graphEventInput({
        id: 'AAMkzone',
        start: { dateTime: '2026-07-01T12:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2026-07-01T13:00:00.0000000', timeZone: 'UTC' },
        originalStartTimeZone: windows,
      })?.timeZone;
      if (!mapped || (mapped !== cldr && offsets(mapped).join() !== offsets(cldr).join()))
        disagree.push(`${windows}: Outpost ${mapped}, CLDR ${cldr}`);
    }
    expect(disagree).toEqual([]);
  });
});
