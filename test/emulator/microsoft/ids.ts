import { createHash } from 'node:crypto';

/** Graph ids are long base64url strings (e.g. "AAMkAGI2TG93AAA="); derive them from a stable key. */
export function graphId(kind: string, key: string): string {
  const h = createHash('sha256').update(`${kind}:${key}`).digest();
  return `AAMk${Buffer.concat([Buffer.from('AGI2'), h, h.subarray(0, 12)]).toString('base64url')}`;
}

export function changeKey(version: number, id: string): string {
  return createHash('sha1').update(`${id}:${version}`).digest('base64').slice(0, 24);
}

/** The kit's seeded PRNG (mulberry32), so Microsoft seeds are reproducible too. */
export { seededRandom as prng } from '../kit/faults.ts';
