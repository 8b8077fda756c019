import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultRule, FaultTable } from './faults.ts';
import { Router } from './router.ts';
import { ensureTls } from './tls.ts';
import type { EmulatorContext, EmulatorReply, EmulatorRequest, EmulatorService, SeedSpec } from './types.ts';
import { HttpError } from './types.ts';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  seed?: SeedSpec;
  /** Load state from this file at start if it exists; stop() writes it back. */
  statePath?: string;
  /** Directory holding ca.pem/key.pem (created if missing); default: env OUTPOST_TEST_TLS_DIR or a temp dir. */
  tlsDir?: string;
  /** OAuth consent pages redirect at once, as if the user pressed Allow. */
  autoConsent?: boolean;
  /** Seed of the fault-injection RNG. */
  faultSeed?: number;
  /** Options handed to each service factory under its name, e.g. { google: { accessTokenLifetimeSec: 5 } }. */
  serviceOptions?: Record<string, Record<string, unknown>>;
}

export interface ServiceFactory {
  /** Key of this service's entry in EmulatorOptions.serviceOptions. */
  name: string;
  create(ctx: EmulatorContext, seed: SeedSpec, options: Record<string, unknown>): EmulatorService;
}

export interface RunningEmulator {
  baseUrl: string;
  urls: Record<string, string>;
  caCertPath: string;
  users: ReturnType<EmulatorService['users']>;
  controlUrl: string;
  services: EmulatorService[];
  stop(): Promise<void>;
}

export async function startServer(options: EmulatorOptions, factories: ServiceFactory[]): Promise<RunningEmulator> {
  const tlsDir = options.tlsDir ?? process.env.OUTPOST_TEST_TLS_DIR ?? mkdtempSync(join(tmpdir(), 'outpost-emulator-tls-'));
  const tls = await ensureTls(tlsDir);
  const seed = options.seed ?? { kind: 'corpus' };
  const faults = new FaultTable(options.faultSeed ?? 1);
  const counters = new Map<string, number>();
  let clockOffsetMs = 0;
  let baseUrl = '';
  let router = new Router();
  let services: EmulatorService[] = [];

  const ctx: EmulatorContext = {
    get baseUrl() {
      return baseUrl;
    },
    now: () => Date.now() + clockOffsetMs,
    dispatch: (req) => dispatch({ ...req, params: {} }).then((r) => r.reply),
  };

  function buildServices(): void {
    services = factories.map((factory) => {
      const opts = { autoConsent: options.autoConsent ?? false, ...(options.serviceOptions?.[factory.name] ?? {}) };
      return factory.create(ctx, seed, opts);
    });
    router = new Router();
    for (const s of services) {
      router.add(s.routes);
      router.add(s.controlRoutes, `/_control/${s.name}`);
    }
    router.add(genericControlRoutes());
  }

  function genericControlRoutes() {
    const json = (body: object): EmulatorReply => ({ status: 200, body });
    return [
      {
        method: 'GET' as const,
        path: '/_control/faults',
        endpoint: 'control.faults',
        handler: () => json({ faults: faults.list() }),
      },
      {
        method: 'POST' as const,
        path: '/_control/faults',
        endpoint: 'control.faults',
        handler: (req: EmulatorRequest) => {
          const body = parseJson(req.body) as { faults?: FaultRule[]; fault?: FaultRule; seed?: number };
          if (body.faults) faults.set(body.faults, body.seed);
          if (body.fault) faults.add(body.fault);
          return json({ faults: faults.list() });
        },
      },
      {
        method: 'DELETE' as const,
        path: '/_control/faults',
        endpoint: 'control.faults',
        handler: () => {
          faults.clear();
          return json({ faults: [] });
        },
      },
      {
        method: 'GET' as const,
        path: '/_control/counters',
        endpoint: 'control.counters',
        handler: () => json({ requests: Object.fromEntries(counters) }),
      },
      {
        method: 'DELETE' as const,
        path: '/_control/counters',
        endpoint: 'control.counters',
        handler: () => {
          counters.clear();
          return json({ requests: {} });
        },
      },
      {
        method: 'GET' as const,
        path: '/_control/clock',
        endpoint: 'control.clock',
        handler: () => json({ now: ctx.now(), offsetMs: clockOffsetMs }),
      },
      {
        method: 'POST' as const,
        path: '/_control/clock',
        endpoint: 'control.clock',
        handler: (req: EmulatorRequest) => {
          const body = parseJson(req.body) as { advanceMs?: number; set?: number | string };
          if (typeof body.advanceMs === 'number') clockOffsetMs += body.advanceMs;
          if (body.set !== undefined) clockOffsetMs = new Date(body.set).getTime() - Date.now();
          return json({ now: ctx.now(), offsetMs: clockOffsetMs });
        },
      },
      {
        method: 'GET' as const,
        path: '/_control/snapshot',
        endpoint: 'control.snapshot',
        handler: () => json(Object.fromEntries(services.map((s) => [s.name, s.snapshot()]))),
      },
      {
        method: 'POST' as const,
        path: '/_control/reset',
        endpoint: 'control.reset',
        handler: () => {
          faults.clear();
          counters.clear();
          clockOffsetMs = 0;
          buildServices();
          return json({ reset: true });
        },
      },
    ];
  }

  /** Google's standard `prettyPrint=false` asks for compact JSON on every answer, errors and faults included. */
  async function dispatch(req: EmulatorRequest): Promise<{ reply: EmulatorReply; fault?: FaultRule }> {
    const out = await dispatchRoute(req);
    if (req.url.searchParams.get('prettyPrint') === 'false') out.reply = { ...out.reply, json: 'compact' };
    return out;
  }

  async function dispatchRoute(req: EmulatorRequest): Promise<{ reply: EmulatorReply; fault?: FaultRule }> {
    const found = router.match(req.method, req.url.pathname);
    if (!found) return { reply: notFound(req) };
    const { route, params } = found;
    counters.set(route.endpoint, (counters.get(route.endpoint) ?? 0) + 1);
    let breaking: FaultRule | undefined;
    if (!route.endpoint.startsWith('control.') && !req.url.pathname.startsWith('/_control/')) {
      for (const fault of faults.pick(route.endpoint)) {
        if (fault.kind === 'latency') {
          await sleep(fault.latencyMs ?? 1000, undefined, req.signal ? { signal: req.signal } : {}).catch(() => {});
          // The client hung up while the request was on its way: the service never sees it.
          if (req.signal?.aborted)
            return { reply: { status: 499, body: { error: { code: 499, message: 'client closed request' } } } };
        } else breaking ??= fault;
      }
    }
    if (breaking?.kind === 'status' || breaking?.kind === 'rateLimit') {
      return { reply: faultReply(breaking, route.endpoint, services) };
    }
    try {
      return { reply: await route.handler({ ...req, params }), fault: breaking };
    } catch (err) {
      if (err instanceof HttpError) return { reply: err.reply, fault: breaking };
      const message = err instanceof Error ? err.message : String(err);
      return { reply: { status: 500, body: { error: { code: 500, message, status: 'INTERNAL' } } } };
    }
  }

  function notFound(req: EmulatorRequest): EmulatorReply {
    for (const s of services) {
      const reply = s.notFound?.(req);
      if (reply) return reply;
    }
    return {
      status: 404,
      body: { error: { code: 404, message: `No route for ${req.method} ${req.url.pathname}`, status: 'NOT_FOUND' } },
    };
  }

  buildServices();
  if (options.statePath && existsSync(options.statePath)) {
    const saved = JSON.parse(readFileSync(options.statePath, 'utf8')) as Record<string, unknown>;
    for (const s of services) if (saved[s.name] !== undefined) s.importState(saved[s.name]);
  }

  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Most calls (GET) carry no body: skip the stream's async iterator for them.
    const hasBody =
      req.headers['content-length'] !== undefined
        ? req.headers['content-length'] !== '0'
        : req.headers['transfer-encoding'] !== undefined;
    const chunks: Buffer[] = [];
    if (hasBody) for await (const chunk of req) chunks.push(chunk as Buffer);
    else req.resume();
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : (v as string | undefined);
    const url = new URL(req.url ?? '/', baseUrl);
    const hungUp = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) hungUp.abort();
    });
    const { reply, fault } = await dispatch({
      method: req.method ?? 'GET',
      url,
      headers,
      body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
      params: {},
      signal: hungUp.signal,
    });
    // Held until its time, or until the client hangs up (nobody is left to answer).
    if (fault?.kind === 'stall') await sleep(fault.latencyMs ?? 1000, undefined, { signal: hungUp.signal }).catch(() => {});
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const { body, contentType } = encodeBody(reply);
    const outHeaders: Record<string, string> = {
      ...(contentType ? { 'content-type': contentType } : {}),
      ...(reply.headers ?? {}),
    };
    outHeaders['content-length'] = String(body.length);
    res.writeHead(reply.status, outHeaders);
    if (fault?.kind === 'truncate') {
      // Promise the full length, deliver half, then cut the connection: the client sees a truncated body.
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.destroy());
      return;
    }
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('emulator: no listening address');
  baseUrl = `https://127.0.0.1:${address.port}`;
  server.keepAliveTimeout = 30_000;

  const urls: Record<string, string> = {};
  for (const s of services) Object.assign(urls, s.urls?.() ?? { [s.name]: baseUrl });

  return {
    baseUrl,
    urls,
    caCertPath: tls.caCertPath,
    users: services.flatMap((s) => s.users()),
    controlUrl: `${baseUrl}/_control`,
    get services() {
      return services;
    },
    async stop() {
      if (options.statePath) {
        const state = Object.fromEntries(services.map((s) => [s.name, s.exportState()]));
        writeFileSync(options.statePath, JSON.stringify(state));
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function faultReply(fault: FaultRule, endpoint: string, services: EmulatorService[]): EmulatorReply {
  const status = fault.status ?? (fault.kind === 'rateLimit' ? 429 : 503);
  const owner = services.find((s) => s.ownsEndpoint?.(endpoint));
  const reply: EmulatorReply = owner?.faultReply?.(status, endpoint) ?? {
    status,
    body: { error: { code: status, message: 'Injected fault', status: status === 429 ? 'RESOURCE_EXHAUSTED' : 'UNAVAILABLE' } },
  };
  if (fault.retryAfter !== undefined) reply.headers = { ...(reply.headers ?? {}), 'retry-after': String(fault.retryAfter) };
  return reply;
}

function encodeBody(reply: EmulatorReply): { body: Buffer; contentType?: string } {
  if (reply.body === undefined) return { body: Buffer.alloc(0) };
  if (Buffer.isBuffer(reply.body)) return { body: reply.body };
  if (typeof reply.body === 'string') return { body: Buffer.from(reply.body), contentType: 'text/plain; charset=UTF-8' };
  const text = reply.json === 'compact' ? JSON.stringify(reply.body) : JSON.stringify(reply.body, null, 2);
  return { body: Buffer.from(text), contentType: 'application/json; charset=UTF-8' };
}

export function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new HttpError({
    status: 400,
    body: { error: { code: 400, message: 'Invalid JSON payload received.', status: 'INVALID_ARGUMENT' } },
  });
}
