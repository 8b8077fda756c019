import type { EmulatorRequest, Route } from '../kit/types.ts';
import { graphError, parseJsonBody } from './errors.ts';
import { type GraphEnv, type GraphUser, graphRoutes } from './graphContext.ts';
import { graphGuid } from './mailbox.ts';

interface OutlookCategory {
  id: string;
  displayName: string;
  color: string;
}

/** The master list a new Outlook mailbox starts with. */
const DEFAULTS: Array<[string, string]> = [
  ['Red category', 'preset0'],
  ['Orange category', 'preset1'],
  ['Yellow category', 'preset3'],
  ['Green category', 'preset4'],
  ['Blue category', 'preset7'],
  ['Purple category', 'preset8'],
];
const COLOR = /^(none|preset([0-9]|1[0-9]|2[0-4]))$/;
const NOT_FOUND = () => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

const lists = new WeakMap<GraphUser, Map<string, OutlookCategory>>();

function masterList(u: GraphUser): Map<string, OutlookCategory> {
  let list = lists.get(u);
  if (!list) {
    list = new Map();
    for (const [displayName, color] of DEFAULTS) {
      const id = graphGuid(`${u.mailbox.upn}/category/${displayName}`);
      list.set(id, { id, displayName, color });
    }
    lists.set(u, list);
  }
  return list;
}

/** color: one of the 25 presets or "none"; anything else is OData's enum error. */
function colorOf(value: unknown): string {
  if (typeof value !== 'string' || !COLOR.test(value))
    throw graphError(400, 'RequestBodyRead', `Requested value '${String(value)}' was not found.`);
  return value;
}

function requireCategory(u: GraphUser, req: EmulatorRequest): OutlookCategory {
  const c = masterList(u).get(decodeURIComponent(req.params.id!));
  if (!c) throw NOT_FOUND();
  return c;
}

/**
 * The user's master category list: list, get, create (displayName unique regardless of case, 409),
 * update (color only: displayName is fixed once created, as Graph documents), delete.
 */
export function masterCategoryRoutes(env: GraphEnv): Route[] {
  const r = (path: string, method: Route['method'], endpoint: string, h: Parameters<typeof graphRoutes>[4]) =>
    graphRoutes(env, method, `/outlook/masterCategories${path}`, endpoint, h);
  const context = (u: GraphUser) => `${env.ctx.baseUrl}/v1.0/$metadata#users('${u.mailbox.userId}')/outlook/masterCategories`;
  return [
    ...r('', 'GET', 'graph.masterCategories.list', (_req, u) => ({
      status: 200,
      body: { '@odata.context': context(u), value: [...masterList(u).values()] },
    })),
    ...r('/:id', 'GET', 'graph.masterCategories.get', (req, u) => ({
      status: 200,
      body: { '@odata.context': `${context(u)}/$entity`, ...requireCategory(u, req) },
    })),
    ...r('', 'POST', 'graph.masterCategories.create', (req, u) => {
      const b = parseJsonBody(req.body);
      if (typeof b.displayName !== 'string' || !b.displayName.trim())
        throw graphError(400, 'ErrorInvalidRequest', 'The request is invalid: displayName must be a non-empty string.');
      const color = b.color === undefined ? 'none' : colorOf(b.color);
      const list = masterList(u);
      const lower = b.displayName.toLowerCase();
      if ([...list.values()].some((c) => c.displayName.toLowerCase() === lower))
        throw graphError(409, 'ErrorAlreadyExists', 'A category with the specified name already exists.');
      const id = graphGuid(`${u.mailbox.upn}/category/${b.displayName}/${env.ctx.now()}/${list.size}`);
      const made = { id, displayName: b.displayName, color };
      list.set(id, made);
      return { status: 201, body: { '@odata.context': `${context(u)}/$entity`, ...made } };
    }),
    ...r('/:id', 'PATCH', 'graph.masterCategories.update', (req, u) => {
      const c = requireCategory(u, req);
      const b = parseJsonBody(req.body);
      if (b.displayName !== undefined && b.displayName !== c.displayName)
        throw graphError(400, 'ErrorInvalidRequest', "The request is invalid: a category's displayName can't be changed.");
      if (b.color !== undefined) c.color = colorOf(b.color);
      return { status: 200, body: { '@odata.context': `${context(u)}/$entity`, ...c } };
    }),
    ...r('/:id', 'DELETE', 'graph.masterCategories.delete', (req, u) => {
      masterList(u).delete(requireCategory(u, req).id);
      return { status: 204 };
    }),
  ];
}
