import type { EmulatorReply, EmulatorRequest, Route } from '../kit/types.ts';
import { draftRoutes, patchDraft } from './draftRoutes.ts';
import { graphError, parseJsonBody } from './errors.ts';
import {
  decodeToken,
  encodeToken,
  type GraphEnv,
  type GraphUser,
  graphRoutes,
  maxPageSize,
  selectParam,
} from './graphContext.ts';
import { type IdKind, idKind, idOf } from './ids.ts';
import type { Folder, Mailbox, StoredMessage } from './mailbox.ts';
import { attachmentsJson, messageJson } from './messageView.ts';
import { sendRoutes } from './sendRoutes.ts';

const base = (env: GraphEnv, req: EmulatorRequest) => `${env.ctx.baseUrl}${req.url.pathname}`;

export function folderJson(mb: Mailbox, f: Folder): Record<string, unknown> {
  const msgs = mb.inFolder(f.id);
  return {
    id: f.id,
    displayName: f.displayName,
    parentFolderId: f.parentFolderId,
    childFolderCount: [...mb.folders.values()].filter((c) => c.parentFolderId === f.id).length,
    unreadItemCount: msgs.filter((m) => !m.isRead).length,
    totalItemCount: msgs.length,
    sizeInBytes: msgs.reduce((n, m) => n + m.raw.length, 0),
    isHidden: false,
    wellKnownName: f.wellKnownName ?? null,
  };
}

/**
 * Exchange ids are base64 of a binary entry id: text that cannot be one (other characters, or
 * too short to hold an entry id) is 400 ErrorInvalidIdMalformed; a well-formed id that names
 * nothing is 404 ErrorItemNotFound.
 */
export function checkGraphId(id: string): void {
  if (!/^[A-Za-z0-9+/_=-]{16,}$/.test(id)) throw graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
}

export function requireFolder(mb: Mailbox, id: string): Folder {
  const key = decodeURIComponent(id);
  const f = mb.folder(key);
  if (f) return f;
  checkGraphId(key);
  throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

/**
 * The message an id names now, read in the kind its request asked for (an old default id, from before a
 * move, is 404); the control API, a test's hand, takes either kind.
 */
export function requireMessage(mb: Mailbox, id: string, kind: IdKind | 'any' = 'any'): StoredMessage {
  const key = decodeURIComponent(id);
  const m = mb.find(key, kind);
  if (m) return m;
  checkGraphId(key);
  throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

/** $filter subset: isRead eq true|false, flag/flagStatus eq '...', receivedDateTime ge|gt|lt|le ..., conversationId eq '...', joined by "and". */
function filterFn(expr: string | null): (m: StoredMessage) => boolean {
  if (!expr) return () => true;
  const tests = expr.split(/\s+and\s+/i).map((clause) => {
    const c = /^\s*([\w/]+)\s+(eq|ne|ge|gt|le|lt)\s+(.+?)\s*$/i.exec(clause);
    if (!c) throw graphError(400, 'BadRequest', `Invalid filter clause: ${clause}`);
    const [, field = '', op = '', rawValue = ''] = c;
    const value = rawValue.replace(/^'(.*)'$/, '$1');
    const get = (m: StoredMessage): string | number | boolean => {
      switch (field) {
        case 'isRead':
          return m.isRead;
        case 'isDraft':
          return m.isDraft;
        case 'flag/flagStatus':
          return m.flagStatus;
        case 'receivedDateTime':
          return m.receivedDateTime;
        case 'conversationId':
          return m.conversationId;
        case 'internetMessageId':
          return m.summary.messageId;
        case 'parentFolderId':
          return m.parentFolderId;
        default:
          throw graphError(
            400,
            'ErrorInvalidProperty',
            `Could not find a property named '${field}' on type 'microsoft.graph.message'.`,
          );
      }
    };
    const want: string | number | boolean =
      value === 'true' ? true : value === 'false' ? false : field === 'receivedDateTime' ? Date.parse(value) : value;
    return (m: StoredMessage) => {
      const v = get(m);
      switch (op.toLowerCase()) {
        case 'eq':
          return v === want;
        case 'ne':
          return v !== want;
        case 'ge':
          return v >= want;
        case 'gt':
          return v > want;
        case 'le':
          return v <= want;
        default:
          return v < want;
      }
    };
  });
  return (m) => tests.every((t) => t(m));
}

async function listMessages(env: GraphEnv, req: EmulatorRequest, all: StoredMessage[]): Promise<EmulatorReply> {
  const q = req.url.searchParams;
  const top = Math.min(1000, Number(q.get('$top') ?? 10));
  const skip = Number(q.get('$skip') ?? 0);
  if (!Number.isFinite(top) || top < 1 || !Number.isFinite(skip) || skip < 0)
    throw graphError(400, 'BadRequest', 'Invalid $top or $skip.');
  const order = q.get('$orderby') ?? 'receivedDateTime desc';
  const asc = /\basc\b/i.test(order) && !/\bdesc\b/i.test(order);
  const rows = all
    .filter(filterFn(q.get('$filter')))
    .sort(
      (a, b) =>
        (asc ? a.receivedDateTime - b.receivedDateTime : b.receivedDateTime - a.receivedDateTime) || (a.id < b.id ? -1 : 1),
    );
  const page = rows.slice(skip, skip + top);
  const body: Record<string, unknown> = {
    '@odata.context': `${env.ctx.baseUrl}/v1.0/$metadata#users('${encodeURIComponent(rows[0]?.id ?? '')}')/messages`,
    value: await Promise.all(page.map((m) => messageJson(m, idKind(req), selectParam(req)))),
  };
  if (q.get('$count') === 'true') body['@odata.count'] = rows.length;
  if (skip + top < rows.length) {
    const next = new URL(base(env, req));
    for (const [k, v] of q) next.searchParams.set(k, v);
    next.searchParams.set('$skip', String(skip + top));
    body['@odata.nextLink'] = next.toString();
  }
  return { status: 200, body };
}

interface DeltaState {
  /** changes after this mailbox seq */
  s: number;
  /** snapshot upper bound for the round in progress (nextLink only) */
  u?: number;
  o?: number;
  sel?: string;
}

/** messages/delta per folder: first round = every message; later rounds = changed/added, plus @removed. */
async function messageDelta(env: GraphEnv, req: EmulatorRequest, user: GraphUser, folderParam: string): Promise<EmulatorReply> {
  const mb = user.mailbox;
  const folder = requireFolder(mb, folderParam);
  const q = req.url.searchParams;
  const token = q.get('$deltatoken') ?? q.get('$skiptoken');
  const state: DeltaState = token ? decodeToken<DeltaState>(token) : { s: 0, sel: q.get('$select') ?? undefined };
  if (typeof state.s !== 'number') throw graphError(400, 'BadRequest', 'The delta or skip token is malformed.');
  // A token dates from the round that minted it (u, or s + 1 for a deltaLink): only rounds begun before an invalidation are gone.
  if (token && (state.u ?? state.s + 1) < mb.minValidSeq) {
    // Exchange's wording, as seen on real 410s: the token's generation against the newest ones kept.
    const g = mb.seq;
    throw graphError(
      410,
      'SyncStateNotFound',
      `The sync state generation is not found; generation=${state.u ?? state.s};[highest=${g}][${g}][${g - 2}][${g - 1}].`,
    );
  }
  const upTo = state.u ?? mb.seq;
  const offset = state.o ?? 0;
  const select = state.sel ? state.sel.split(',') : undefined;
  // Each page speaks the id kind its own request asks for; a message that left and came back has, by
  // default id, left under its old id and arrived under a new one.
  const kind = idKind(req);
  type Entry = { seq: number; id: string; msg?: StoredMessage; reason?: string };
  const entries: Entry[] = [];
  for (const m of mb.inFolder(folder.id))
    if (m.seq > state.s && m.seq < upTo) entries.push({ seq: m.seq, id: idOf(m, kind), msg: m });
  if (state.s > 0) {
    for (const t of mb.tombstones) {
      if (t.folderId !== folder.id || t.seq <= state.s || t.seq >= upTo) continue;
      const now = mb.messages.get(t.id);
      if (now?.parentFolderId === folder.id && idOf(now, kind) === idOf(t, kind)) continue;
      entries.push({ seq: t.seq, id: idOf(t, kind), reason: t.reason });
    }
  }
  entries.sort((a, b) => a.seq - b.seq);
  // One entry per id: the latest state wins.
  const seen = new Set<string>();
  const unique = entries
    .reverse()
    .filter((e) => !seen.has(e.id) && seen.add(e.id))
    .reverse();
  const { size, applied } = maxPageSize(req, 10);
  const page = unique.slice(offset, offset + size);
  const value = await Promise.all(
    page.map((e) => (e.msg ? messageJson(e.msg, kind, select) : Promise.resolve({ id: e.id, '@removed': { reason: e.reason } }))),
  );
  const link = new URL(`${env.ctx.baseUrl}${req.url.pathname}`);
  const body: Record<string, unknown> = { '@odata.context': `${env.ctx.baseUrl}/v1.0/$metadata#Collection(message)`, value };
  if (offset + size < unique.length) {
    link.searchParams.set('$skiptoken', encodeToken({ ...state, u: upTo, o: offset + size }));
    body['@odata.nextLink'] = link.toString();
  } else {
    link.searchParams.set('$deltatoken', encodeToken({ s: upTo - 1, sel: state.sel }));
    body['@odata.deltaLink'] = link.toString();
  }
  return { status: 200, headers: applied ? { 'preference-applied': applied } : {}, body };
}

async function patchMessage(env: GraphEnv, req: EmulatorRequest, user: GraphUser): Promise<EmulatorReply> {
  const mb = user.mailbox;
  const m = requireMessage(mb, req.params.id!, idKind(req));
  const patch = parseJsonBody(req.body);
  await patchDraft(env, user, m, patch);
  if ('isRead' in patch) {
    if (typeof patch.isRead !== 'boolean')
      throw graphError(400, 'BadRequest', "Cannot convert the literal to the expected type 'Edm.Boolean'.");
    m.isRead = patch.isRead;
  }
  if ('flag' in patch) {
    const status = (patch.flag as { flagStatus?: string } | null)?.flagStatus;
    if (status !== 'notFlagged' && status !== 'flagged' && status !== 'complete')
      throw graphError(400, 'BadRequest', `Requested value '${String(status)}' was not found.`);
    m.flagStatus = status;
  }
  if ('categories' in patch) {
    if (!Array.isArray(patch.categories) || patch.categories.some((c) => typeof c !== 'string'))
      throw graphError(400, 'BadRequest', 'categories must be an array of strings.');
    m.categories = patch.categories as string[];
  }
  mb.touch(m);
  return { status: 200, body: await messageJson(m, idKind(req)) };
}

export function mailRoutes(env: GraphEnv): Route[] {
  const r = (method: Route['method'], path: string, endpoint: string, h: Parameters<typeof graphRoutes>[4]) =>
    graphRoutes(env, method, path, endpoint, h);
  return [
    ...r('GET', '', 'graph.me', (_q, u) => ({
      status: 200,
      body: {
        '@odata.context': `${env.ctx.baseUrl}/v1.0/$metadata#users/$entity`,
        id: u.mailbox.userId,
        displayName: u.mailbox.displayName,
        givenName: u.mailbox.displayName.split(' ')[0],
        surname: u.mailbox.displayName.split(' ').slice(1).join(' ') || null,
        mail: u.mailbox.upn,
        userPrincipalName: u.mailbox.upn,
        businessPhones: [],
        jobTitle: null,
        mobilePhone: null,
        officeLocation: null,
        preferredLanguage: 'en-US',
      },
    })),
    ...r('GET', '/mailFolders', 'graph.mailFolders.list', (_req, u) => {
      const mb = u.mailbox;
      const top = [...mb.folders.values()].filter((f) => f.parentFolderId === mb.rootId);
      return {
        status: 200,
        body: {
          '@odata.context': `${env.ctx.baseUrl}/v1.0/$metadata#users('${mb.userId}')/mailFolders`,
          value: top.map((f) => folderJson(mb, f)),
        },
      };
    }),
    ...r('GET', '/mailFolders/:folder', 'graph.mailFolders.get', (req, u) => ({
      status: 200,
      body: folderJson(u.mailbox, requireFolder(u.mailbox, req.params.folder!)),
    })),
    ...r('GET', '/mailFolders/:folder/childFolders', 'graph.mailFolders.childFolders', (req, u) => {
      const f = requireFolder(u.mailbox, req.params.folder!);
      return {
        status: 200,
        body: {
          value: [...u.mailbox.folders.values()].filter((c) => c.parentFolderId === f.id).map((c) => folderJson(u.mailbox, c)),
        },
      };
    }),
    ...r('GET', '/mailFolders/:folder/messages/delta', 'graph.messages.delta', (req, u) =>
      messageDelta(env, req, u, req.params.folder!),
    ),
    ...r('GET', '/mailFolders/:folder/messages', 'graph.messages.list', (req, u) =>
      listMessages(env, req, u.mailbox.inFolder(requireFolder(u.mailbox, req.params.folder!).id)),
    ),
    ...r('GET', '/messages', 'graph.messages.list', (req, u) => listMessages(env, req, [...u.mailbox.messages.values()])),
    ...r('GET', '/messages/:id', 'graph.messages.get', async (req, u) => ({
      status: 200,
      body: await messageJson(requireMessage(u.mailbox, req.params.id!, idKind(req)), idKind(req), selectParam(req)),
    })),
    ...r('GET', '/messages/:id/$value', 'graph.messages.value', (req, u) => ({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: requireMessage(u.mailbox, req.params.id!, idKind(req)).raw,
    })),
    ...r('GET', '/messages/:id/attachments', 'graph.attachments.list', async (req, u) => {
      // As Graph does, $select narrows each attachment to those properties (and @odata.type): no bytes unless asked.
      const select = selectParam(req);
      const all = await attachmentsJson(
        requireMessage(u.mailbox, req.params.id!, idKind(req)),
        idKind(req),
        !select || select.includes('contentBytes'),
      );
      const keep = select && new Set(['@odata.type', 'id', ...select]);
      return {
        status: 200,
        body: { value: keep ? all.map((a) => Object.fromEntries(Object.entries(a).filter(([k]) => keep.has(k)))) : all },
      };
    }),
    ...r('GET', '/messages/:id/attachments/:aid', 'graph.attachments.get', async (req, u) => ({
      status: 200,
      body: await findAttachment(req, u),
    })),
    ...r('GET', '/messages/:id/attachments/:aid/$value', 'graph.attachments.value', async (req, u) => {
      const a = await findAttachment(req, u);
      return {
        status: 200,
        headers: { 'content-type': String(a.contentType) },
        body: Buffer.from(String(a.contentBytes), 'base64'),
      };
    }),
    ...r('PATCH', '/messages/:id', 'graph.messages.update', (req, u) => patchMessage(env, req, u)),
    ...r('POST', '/messages/:id/move', 'graph.messages.move', async (req, u) => {
      const m = requireMessage(u.mailbox, req.params.id!, idKind(req));
      const dest = parseJsonBody(req.body).destinationId;
      if (typeof dest !== 'string') throw graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
      u.mailbox.move(m, requireFolder(u.mailbox, dest).id);
      // By default id, the answer names the message where it is now: a new id.
      return { status: 201, body: await messageJson(m, idKind(req)) };
    }),
    ...r('DELETE', '/messages/:id', 'graph.messages.delete', (req, u) => {
      const mb = u.mailbox;
      const m = requireMessage(mb, req.params.id!, idKind(req));
      // As Outlook does: a delete moves to Deleted Items; deleting from there is permanent.
      const trash = mb.folder('deleteditems')!;
      if (m.parentFolderId === trash.id) mb.remove(m);
      else mb.move(m, trash.id);
      return { status: 204 };
    }),
    ...r('POST', '/translateExchangeIds', 'graph.translateExchangeIds', (req, u) => translateExchangeIds(env, req, u)),
    ...sendRoutes(env),
    ...draftRoutes(env),
  ];
}

/** Graph's id kinds by their exchangeIdFormat names; the binary and EWS formats are not modelled. */
const ID_FORMATS: Record<string, IdKind> = { restId: 'rest', restImmutableEntryId: 'immutable' };

/** translateExchangeIds between default and immutable ids: {value: [{sourceId, targetId} | {sourceId, errorDetails}]}. */
function translateExchangeIds(env: GraphEnv, req: EmulatorRequest, u: GraphUser): EmulatorReply {
  const { inputIds, sourceIdType, targetIdType } = parseJsonBody(req.body);
  const from = ID_FORMATS[String(sourceIdType)];
  const to = ID_FORMATS[String(targetIdType)];
  if (!from || !to)
    throw graphError(400, 'ErrorInvalidParameter', 'Only restId and restImmutableEntryId are supported by this emulator.');
  if (!Array.isArray(inputIds) || inputIds.length === 0 || inputIds.length > 1000 || inputIds.some((i) => typeof i !== 'string'))
    throw graphError(400, 'ErrorInvalidParameter', 'inputIds must hold between 1 and 1000 ids.');
  const value = (inputIds as string[]).map((sourceId) => {
    const m = u.mailbox.find(sourceId, from);
    return m
      ? { sourceId, targetId: idOf(m, to) }
      : { sourceId, errorDetails: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' } };
  });
  return {
    status: 200,
    body: { '@odata.context': `${env.ctx.baseUrl}/v1.0/$metadata#Collection(microsoft.graph.convertIdResult)`, value },
  };
}

async function findAttachment(req: EmulatorRequest, u: GraphUser): Promise<Record<string, unknown>> {
  const all = await attachmentsJson(requireMessage(u.mailbox, req.params.id!, idKind(req)), idKind(req), true);
  const a = all.find((x) => x.id === decodeURIComponent(req.params.aid!));
  if (!a) throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  return a;
}
