import { createHash } from 'node:crypto';

/** Graph ids are long base64url strings (e.g. "AAMkAGI2TG93AAA="); derive them from a stable key. */
export function graphId(kind: string, key: string): string {
  const h = createHash('sha256').update(`${kind}:${key}`).digest();
  return `AAMk${Buffer.concat([Buffer.from('AGI2'), h, h.subarray(0, 12)]).toString('base64url')}`;
}

export function changeKey(version: number, id: string): string {
  return createHash('sha1').update(`${id}:${version}`).digest('base64').slice(0, 24);
}

/** Small deterministic PRNG (mulberry32) so seeds are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
