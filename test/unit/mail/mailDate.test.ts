import { describe, expect, it } from 'vitest';
import { messageDate, parseMailDate } from '../../../main/mail/mailDate.ts';

describe('parseMailDate: RFC 5322 dates, the obsolete forms of section 4.3 included', () => {
  it('reads the modern form with a numeric zone and a trailing comment', () => {
    expect(parseMailDate('Tue, 3 Mar 2026 10:00:00 +0100 (CET)')).toBe(Date.UTC(2026, 2, 3, 9));
  });

  it('reads two-digit years: 00-49 as 20xx, 50-99 as 19xx', () => {
    expect(parseMailDate('Fri, 30 Aug 02 21:48:08 -0400')).toBe(Date.UTC(2002, 7, 31, 1, 48, 8));
    expect(parseMailDate('1 Jan 49 00:00:00 +0000')).toBe(Date.UTC(2049, 0, 1));
    expect(parseMailDate('1 Jan 50 00:00:00 +0000')).toBe(Date.UTC(1950, 0, 1));
    expect(parseMailDate('31 Dec 99 23:59:59 +0000')).toBe(Date.UTC(1999, 11, 31, 23, 59, 59));
  });

  it('reads three-digit years, and "0102" (year 102 on four digits), by adding 1900', () => {
    expect(parseMailDate('Wed, 24 Jul 102 21:48:06 +1200')).toBe(Date.UTC(2002, 6, 24, 9, 48, 6));
    expect(parseMailDate('Wed, 24 Jul 0102 21:48:06 +1200')).toBe(Date.UTC(2002, 6, 24, 9, 48, 6));
  });

  it('reads a time without seconds and a date without day of week', () => {
    expect(parseMailDate('3 Mar 2026 10:05 +0000')).toBe(Date.UTC(2026, 2, 3, 10, 5));
  });

  it('reads the obsolete zone names and counts military letters and unknown names as -0000', () => {
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 EST')).toBe(Date.UTC(2002, 7, 5, 15));
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 EDT')).toBe(Date.UTC(2002, 7, 5, 14));
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 CST')).toBe(Date.UTC(2002, 7, 5, 16));
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 MDT')).toBe(Date.UTC(2002, 7, 5, 16));
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 PDT')).toBe(Date.UTC(2002, 7, 5, 17));
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 PST')).toBe(Date.UTC(2002, 7, 5, 18));
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 UT')).toBe(Date.UTC(2002, 7, 5, 10));
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 GMT')).toBe(Date.UTC(2002, 7, 5, 10));
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 Q')).toBe(Date.UTC(2002, 7, 5, 10));
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 XYZT')).toBe(Date.UTC(2002, 7, 5, 10));
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00')).toBe(Date.UTC(2002, 7, 5, 10));
  });

  it('reads what mailers of the corpus wrote: spelled-out zones, "+-0500", one-digit times, trailing junk', () => {
    expect(parseMailDate('Fri, 26 Apr 02 16:27:53 Eastern Daylight Time')).toBe(Date.UTC(2002, 3, 26, 20, 27, 53));
    expect(parseMailDate('Sat, 8 Jun 2002 1:5:13 +-0500')).toBe(Date.UTC(2002, 5, 8, 6, 5, 13));
    expect(parseMailDate('Fri, 19 Jul 2002 09:42:07 -0400    AWL version=2.40')).toBe(Date.UTC(2002, 6, 19, 13, 42, 7));
  });

  it('answers null for what is no date, and leaves ISO 8601 to Date.parse', () => {
    expect(parseMailDate('')).toBeNull();
    expect(parseMailDate('soon')).toBeNull();
    expect(parseMailDate('31 Foo 2002 10:00:00 +0000')).toBeNull();
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 constructor')).toBe(Date.UTC(2002, 7, 5, 10));
    expect(parseMailDate('Mon, 5 Aug 2002 10:00:00 __proto__')).toBe(Date.UTC(2002, 7, 5, 10));
    expect(parseMailDate('2002-07-19T09:42:07Z')).toBe(Date.UTC(2002, 6, 19, 9, 42, 7));
  });
});

describe('messageDate', () => {
  const received = ['from mx.example.test by mail.example.test; Thu, 5 Oct 2006 16:05:01 +0000 (UTC)'];

  it('takes the Date header when it is readable and not ahead of the Received stamp', () => {
    expect(messageDate('Thu, 5 Oct 2006 12:05:01 -0400', received)).toBe(Date.UTC(2006, 9, 5, 16, 5, 1));
  });

  it('takes the newest Received stamp when the Date header is missing, unreadable or years ahead', () => {
    const stamp = Date.UTC(2006, 9, 5, 16, 5, 1);
    expect(messageDate(undefined, received)).toBe(stamp);
    expect(messageDate('whenever', received)).toBe(stamp);
    expect(messageDate('Wed, 04 Oct 2028 12:05:01 -0400', received)).toBe(stamp);
    expect(messageDate(undefined, [])).toBeNull();
  });
});
