/**
 * Dates of mail headers as RFC 5322 reads them, the obsolete forms of
 * section 4.3 included: two-digit years (00-49 -> 20xx, 50-99 -> 19xx) and
 * three-digit ones (+1900; "0102", a year 102 written on four digits, is one
 * of them), missing seconds or day of week, comments, and the obsolete zones
 * (UT, GMT, EST/EDT, CST/CDT, MST/MDT, PST/PDT; military letters and any
 * other name count as -0000, as 4.3 says). Forms no RFC knows (ISO 8601,
 * "2002/09/14 ...") are left to Date.parse.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Hours east of UTC of the zones RFC 5322 section 4.3 names. */
const NAMED_ZONES: Record<string, number> = {
  ut: 0,
  gmt: 0,
  z: 0,
  est: -5,
  edt: -4,
  cst: -6,
  cdt: -5,
  mst: -7,
  mdt: -6,
  pst: -8,
  pdt: -7,
};

// [day-of-week ","] day month year hour ":" minute [":" second] [zone]
const RFC5322_DATE =
  /^(?:[a-z]+\s*,?\s*)?(\d{1,2})\s*[\s-]\s*([a-z]{3})[a-z]*\.?\s*[\s-]\s*(\d{2,4})\s+(\d{1,2})\s*:\s*(\d{1,2})(?:\s*:\s*(\d{1,2}))?\s*(?:([+-]{1,2})(\d{4})\b|([a-z]+(?: [a-z]+)*)\b)?/i;

const DAY_MS = 86_400_000;

/** ms since epoch of an RFC 5322 date (any of its obsolete forms), or null when it cannot be read. */
export function parseMailDate(value: string | undefined | null): number | null {
  if (!value) return null;
  const text = stripComments(value).replace(/\s+/g, ' ').trim();
  const match = RFC5322_DATE.exec(text);
  if (!match) {
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms : null;
  }
  const [, day, monthName, yearText, hour, minute, second, sign, offset, zoneName] = match;
  const month = MONTHS.indexOf((monthName ?? '').toLowerCase());
  const year = fullYear(yearText ?? '');
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Math.min(Number(second ?? 0), 59); // a leap second reads as :59
  if (month === -1 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const ms = Date.UTC(year, month, d, h, mi, s) - zoneOffsetMinutes(sign, offset, zoneName) * 60_000;
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The date a message was written: its Date header, unless that is missing,
 * unreadable or more than a day after the newest Received stamp (a sender's
 * clock years ahead); then the time the receiving server stamped it.
 */
export function messageDate(dateHeader: string | undefined, receivedHeaders: string[]): number | null {
  const date = parseMailDate(dateHeader);
  const received = receivedDate(receivedHeaders);
  if (date === null) return received;
  if (received !== null && date > received + DAY_MS) return received;
  return date;
}

/** The date after the last ";" of the first (newest) Received header that has a readable one. */
function receivedDate(receivedHeaders: string[]): number | null {
  for (const header of receivedHeaders) {
    const semicolon = header.lastIndexOf(';');
    if (semicolon === -1) continue;
    const ms = parseMailDate(header.slice(semicolon + 1));
    if (ms !== null) return ms;
  }
  return null;
}

/** RFC 5322 section 4.3: 00-49 -> 2000-2049, 50-99 -> 1950-1999, three digits (or 0xxx) -> +1900. */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 2) return year < 50 ? 2000 + year : 1900 + year;
  return year < 1000 ? 1900 + year : year;
}

function zoneOffsetMinutes(sign: string | undefined, offset: string | undefined, zoneName: string | undefined): number {
  if (sign && offset) {
    // "+-0500" (seen in the wild) is read as its last sign.
    const direction = sign.endsWith('-') ? -1 : 1;
    const hours = Number(offset.slice(0, 2));
    const minutes = Number(offset.slice(2));
    return minutes > 59 ? 0 : direction * (hours * 60 + minutes);
  }
  if (zoneName) {
    const name = zoneAbbreviation(zoneName);
    return Object.hasOwn(NAMED_ZONES, name) ? (NAMED_ZONES[name] ?? 0) * 60 : 0;
  }
  return 0; // no zone: -0000, "no information about the local time zone"
}

/** "PDT" -> "pdt"; a spelled-out name by its initials: "Eastern Daylight Time" -> "edt". */
function zoneAbbreviation(name: string): string {
  const words = name.toLowerCase().split(' ');
  return words.length === 1 ? (words[0] ?? '') : words.map((word) => word[0]).join('');
}

/** Drops RFC 5322 comments, nested ones included: "Tue, 1 Jul 2003 10:52:37 +0200 (CEST)". */
function stripComments(value: string): string {
  let depth = 0;
  let out = '';
  for (const char of value) {
    if (char === '(') depth++;
    else if (char === ')' && depth > 0) depth--;
    else if (depth === 0) out += char;
  }
  return out;
}
