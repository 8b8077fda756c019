import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { graphError } from './errors.ts';

interface MapZone {
  mapZone: { _other: string; _type: string; _territory: string };
}

/**
 * CLDR's windowsZones (the Unicode consortium's cldr-core package): every Windows time-zone name
 * Outlook uses, mapped to the IANA zone of its "001" (golden) territory entry, as Exchange maps them.
 */
export const WINDOWS_ZONES: ReadonlyMap<string, string> = (() => {
  const file = createRequire(import.meta.url).resolve('cldr-core/supplemental/windowsZones.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    supplemental: { windowsZones: { mapTimezones: MapZone[] } };
  };
  const map = new Map<string, string>();
  for (const { mapZone: z } of json.supplemental.windowsZones.mapTimezones)
    if (z._territory === '001') map.set(z._other, z._type.split(' ')[0]!);
  return map;
})();

const byLowerName = new Map([...WINDOWS_ZONES].map(([name, zone]) => [name.toLowerCase(), zone]));

function isIanaZone(name: string): boolean {
  if (!name.includes('/') && name !== 'UTC' && name !== 'Etc/UTC') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The IANA zone for a Graph timeZone value: a Windows name (matched without regard to case, as
 * Exchange does), an IANA name, or nothing (UTC). Anything else is Graph's 400
 * TimeZoneNotSupportedException.
 */
export function ianaZone(tz: string | undefined | null): string {
  if (!tz) return 'UTC';
  const windows = byLowerName.get(tz.toLowerCase());
  if (windows) return windows;
  if (isIanaZone(tz)) return tz;
  throw graphError(
    400,
    'TimeZoneNotSupportedException',
    `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${tz}'.`,
  );
}
