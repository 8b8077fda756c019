import type { EmulatorContext, EmulatorReply, EmulatorRequest, Route } from '../kit/types.ts';
import { graphError, parseJsonBody } from './errors.ts';

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

/** JSON batching: at most 20 requests, dependsOn ordering, 424 when a dependency failed. */
export function batchRoute(ctx: EmulatorContext): Route {
  return { method: 'POST', path: '/v1.0/$batch', endpoint: 'graph.batch', handler: (req) => runBatch(ctx, req) };
}

async function runBatch(ctx: EmulatorContext, req: EmulatorRequest): Promise<EmulatorReply> {
  const payload = parseJsonBody(req.body);
  const items = payload.requests;
  if (!Array.isArray(items) || items.length === 0) throw graphError(400, 'BadRequest', 'Invalid batch payload format.');
  if (items.length > 20) throw graphError(400, 'BadRequest', 'The number of requests in the batch exceeds the limit of 20.');
  const ids = new Set<string>();
  for (const it of items as BatchItem[]) {
    if (!it || typeof it.id !== 'string' || typeof it.method !== 'string' || typeof it.url !== 'string')
      throw graphError(400, 'BadRequest', 'Invalid batch payload format.');
    if (ids.has(it.id)) throw graphError(400, 'BadRequest', `Request id '${it.id}' is duplicated.`);
    ids.add(it.id);
  }
  const results = new Map<string, Promise<EmulatorReply>>();
  const run = (it: BatchItem): Promise<EmulatorReply> => {
    const existing = results.get(it.id);
    if (existing) return existing;
    const p = (async () => {
      for (const dep of it.dependsOn ?? []) {
        const target = (items as BatchItem[]).find((x) => x.id === dep);
        if (!target)
          return { status: 400, body: { error: { code: 'BadRequest', message: `dependsOn '${dep}' is not in the batch.` } } };
        const r = await run(target);
        if (r.status >= 400)
          return { status: 424, body: { error: { code: 'FailedDependency', message: 'A dependent request failed.' } } };
      }
      const headers: Record<string, string | undefined> = { authorization: req.headers.authorization };
      for (const [k, v] of Object.entries(it.headers ?? {})) headers[k.toLowerCase()] = v;
      const hasBody = it.body !== undefined;
      if (hasBody && !headers['content-type'])
        return {
          status: 400,
          body: { error: { code: 'BadRequest', message: 'Content-Type header is required when body is present.' } },
        };
      const body = !hasBody
        ? Buffer.alloc(0)
        : typeof it.body === 'string'
          ? Buffer.from(it.body, /text\/plain/.test(headers['content-type'] ?? '') ? 'utf8' : 'utf8')
          : Buffer.from(JSON.stringify(it.body));
      const path = it.url.startsWith('/') ? it.url : `/${it.url}`;
      return ctx.dispatch({ method: it.method.toUpperCase(), url: new URL(`${ctx.baseUrl}/v1.0${path}`), headers, body });
    })();
    results.set(it.id, p);
    return p;
  };
  const responses = await Promise.all(
    (items as BatchItem[]).map(async (it) => {
      const r = await run(it);
      const headers = { ...(r.headers ?? {}) };
      let body: unknown = r.body;
      if (Buffer.isBuffer(body)) body = body.toString('base64');
      else if (typeof body === 'object' && body !== null) headers['content-type'] ??= 'application/json';
      return { id: it.id, status: r.status, headers, ...(body === undefined || body === '' ? {} : { body }) };
    }),
  );
  return { status: 200, body: { responses } };
}
