import { afterAll, beforeAll } from 'vitest';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../index.ts';
import { signIn } from './testAuth.ts';

/** Graph answers are JSON of many shapes; contract tests read them loosely. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
export type Json = any;
export type GraphResponse = Omit<Response, 'json'> & { json(): Promise<Json> };

export interface GraphHarness {
  emu: RunningEmulator;
  /** bob@contoso.test's access token (the seeded mailbox), with testAuth's scopes or those asked for. */
  token: string;
  /** fetch of `/v1.0/me{path}` as bob, JSON content type; another bearer when given. */
  g(path: string, init?: RequestInit, bearer?: string): Promise<GraphResponse>;
  /** POST of a JSON body to `/_control/microsoft{path}`, answering its JSON. */
  control(path: string, body: object): Promise<Json>;
}

/**
 * One emulator (auto consent) for a test file, signed in as bob through msal-node's interactive
 * flow; started in beforeAll, stopped in afterAll. Fields are filled once beforeAll has run.
 */
export function graphEmulatorForFile(options: EmulatorOptions = {}, scopes?: string[]): GraphHarness {
  const h = {
    g: (path: string, init: RequestInit = {}, bearer?: string) =>
      fetch(`${h.emu.baseUrl}/v1.0/me${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${bearer ?? h.token}`,
          'content-type': 'application/json',
          ...(init.headers ?? {}),
        },
      }) as Promise<GraphResponse>,
    control: async (path: string, body: object): Promise<Json> =>
      (await fetch(`${h.emu.controlUrl}/microsoft${path}`, { method: 'POST', body: JSON.stringify(body) })).json(),
  } as GraphHarness;
  beforeAll(async () => {
    h.emu = await startEmulator({ seed: { kind: 'corpus' }, autoConsent: true, ...options });
    h.token = await signIn(h.emu.baseUrl, undefined, scopes);
  });
  afterAll(() => h.emu?.stop());
  return h;
}
