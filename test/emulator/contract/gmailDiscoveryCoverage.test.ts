/**
 * The Gmail emulator against Gmail's discovery document, method by method: which methods it serves (every
 * one but those test/emulator/README.md lists as not served), and for each served method exactly the OAuth
 * scopes the document lists: a token with a listed scope gets past the scope check, any other is refused with
 * 403 insufficientPermissions.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyJson, signIn, start } from '../google/harness.ts';
import type { RunningEmulator } from '../index.ts';

interface DiscoveryMethod {
  id: string;
  httpMethod: string;
  path: string;
  scopes: string[];
}

const doc = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'gmail-v1-discovery.json'), 'utf8'));

function methodsOf(resource: AnyJson): DiscoveryMethod[] {
  const own = Object.values(resource.methods ?? {}).map((m: AnyJson) => ({
    id: m.id,
    httpMethod: m.httpMethod,
    path: m.flatPath ?? m.path,
    scopes: m.scopes ?? [],
  }));
  return [...own, ...Object.values(resource.resources ?? {}).flatMap(methodsOf)];
}

const METHODS = methodsOf(doc);
/** What the emulator does not serve, as test/emulator/README.md's Deviations say (settings, push, import). */
const NOT_SERVED = /^gmail\.users\.(settings\..*|watch|stop|messages\.import)$/;

/** A request for the method: every path parameter filled with a well-formed id, metadata format where it applies. */
function requestFor(m: DiscoveryMethod, baseUrl: string): { url: string; init: RequestInit } {
  const path = m.path.replace('{userId}', 'me').replace(/\{[^}]+\}/g, '7fffffffffffffff');
  const url = new URL(`${baseUrl}/${path}`);
  if (/\.get$/.test(m.id)) url.searchParams.set('format', 'metadata');
  if (m.id === 'gmail.users.history.list') url.searchParams.set('startHistoryId', '1');
  const body = m.httpMethod === 'GET' || m.httpMethod === 'DELETE' ? undefined : '{}';
  return { url: url.toString(), init: { method: m.httpMethod, body, headers: { 'content-type': 'application/json' } } };
}

describe("the Gmail emulator serves the discovery document's methods with their scopes", () => {
  let emu: RunningEmulator;
  const tokens = new Map<string, string>();
  const scopes = [...new Set(METHODS.filter((m) => !NOT_SERVED.test(m.id)).flatMap((m) => m.scopes))].sort();

  beforeAll(async () => {
    emu = await start({ seed: { kind: 'empty' }, serviceOptions: { google: { quotaEnabled: false } } });
    for (const scope of scopes) tokens.set(scope, (await signIn(emu, [scope])).credentials.access_token ?? '');
  });
  afterAll(() => emu.stop());

  it('answers every method but the ones it lists as not served (those are 404 or 405)', async () => {
    const served: string[] = [];
    const missing: string[] = [];
    for (const m of METHODS) {
      const { url, init } = requestFor(m, emu.baseUrl);
      const res = await fetch(url, init);
      await res.arrayBuffer();
      // Without a token, a served method answers 401 before looking at anything else.
      (res.status === 401 ? served : missing).push(m.id);
      if (res.status !== 401) expect([404, 405]).toContain(res.status);
    }
    expect(missing.filter((id) => !NOT_SERVED.test(id))).toEqual([]);
    expect(served.filter((id) => NOT_SERVED.test(id))).toEqual([]);
    expect(served).toHaveLength(31);
  });

  it('accepts exactly the scopes the document lists for each method', async () => {
    const mismatches: string[] = [];
    for (const m of METHODS.filter((x) => !NOT_SERVED.test(x.id))) {
      for (const scope of scopes) {
        const { url, init } = requestFor(m, emu.baseUrl);
        const res = await fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${tokens.get(scope)}` } });
        const body = (await res.json().catch(() => ({}))) as AnyJson;
        const refused = res.status === 403 && body.error?.errors?.[0]?.reason === 'insufficientPermissions';
        if (refused === m.scopes.includes(scope)) mismatches.push(`${m.id} ${scope.replace(/^.*\//, '')}: ${res.status}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
