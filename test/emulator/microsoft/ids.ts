import { createHash } from 'node:crypto';
import type { EmulatorRequest, Route } from '../kit/types.ts';

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

/**
 * The two kinds of message id Graph answers with. `rest` (the default) names the item where it is now and
 * changes whenever it moves to another folder; `immutable` (asked for with `Prefer: IdType="ImmutableId"`,
 * per request) is the item's for its life in the mailbox. Folders and events have one id either way.
 */
export type IdKind = 'immutable' | 'rest';

const IMMUTABLE_PREFERENCE = /IdType\s*=\s*"?ImmutableId"?/i;

/** The kind of id a request asked for: its own Prefer header decides (a $batch part's, its own headers). */
export function idKind(req: EmulatorRequest): IdKind {
  return IMMUTABLE_PREFERENCE.test(req.headers.prefer ?? '') ? 'immutable' : 'rest';
}

/** The id of a message (or of a message that left a folder) in the kind asked for. */
export function idOf(item: { id: string; restId: string }, kind: IdKind): string {
  return kind === 'immutable' ? item.id : item.restId;
}

/** A message's default id in a placement (the mailbox's seq when it got there): derived from its immutable id, so seeds stay reproducible. */
export function restIdOf(immutableId: string, placement: number): string {
  return graphId('restid', `${immutableId}/${placement}`);
}

/** Per emulator: how many Graph requests came with and without the preference, and the test-only switch that ignores it. */
export interface IdPreferenceState {
  ignoreImmutableIdPreference: boolean;
  requests: number;
  withoutImmutableId: number;
  /** "METHOD /path" of the newest requests without it (at most 50). */
  withoutImmutableIdPaths: string[];
}

const preferenceStates = new WeakMap<object, IdPreferenceState>();

export function idPreference(env: object): IdPreferenceState {
  let state = preferenceStates.get(env);
  if (!state) {
    state = { ignoreImmutableIdPreference: false, requests: 0, withoutImmutableId: 0, withoutImmutableIdPaths: [] };
    preferenceStates.set(env, state);
  }
  return state;
}

/**
 * Counts each Graph request by whether it asked for immutable ids; while the switch is on, the
 * preference is taken out of the request before anything reads it (no Preference-Applied, default ids).
 */
export function withIdPreference(env: object, route: Route): Route {
  return {
    ...route,
    handler: (req) => {
      const state = idPreference(env);
      state.requests++;
      if (idKind(req) === 'rest') {
        state.withoutImmutableId++;
        state.withoutImmutableIdPaths = [...state.withoutImmutableIdPaths.slice(-49), `${req.method} ${req.url.pathname}`];
      } else if (state.ignoreImmutableIdPreference) {
        const prefer = (req.headers.prefer ?? '')
          .split(',')
          .filter((p) => !IMMUTABLE_PREFERENCE.test(p))
          .join(',')
          .trim();
        return route.handler({ ...req, headers: { ...req.headers, prefer: prefer || undefined } });
      }
      return route.handler(req);
    },
  };
}
