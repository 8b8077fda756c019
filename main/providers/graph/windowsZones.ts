import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type MapZone = { mapZone: { _other: string; _type: string; _territory: string } };

let table: Map<string, string> | undefined;

/**
 * Windows time-zone name ("Pacific Standard Time") -> IANA zone, by CLDR's windowsZones (the
 * Unicode consortium's cldr-core package): each name's "001" territory entry, as Exchange maps it.
 * Read once, on first use.
 */
export function windowsToIana(name: string): string | undefined {
  if (!table) {
    const file = createRequire(import.meta.url).resolve('cldr-core/supplemental/windowsZones.json');
    const zones = (JSON.parse(readFileSync(file, 'utf8')) as { supplemental: { windowsZones: { mapTimezones: MapZone[] } } })
      .supplemental.windowsZones.mapTimezones;
    table = new Map(
      zones
        .filter((z) => z.mapZone._territory === '001')
        .map((z) => [z.mapZone._other.toLowerCase(), z.mapZone._type.split(' ')[0]!]),
    );
  }
  return table.get(name.toLowerCase());
}
