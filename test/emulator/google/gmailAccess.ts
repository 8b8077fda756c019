/** Shared by every Gmail route: bearer + scope check, userId resolution, quota charge. */

import type { EmulatorContext, EmulatorRequest } from '../kit/types.ts';
import type { GmailEncoding } from './encoding.ts';
import { checkGmailId, googleError, invalidParameter, notFound } from './errors.ts';
import type { Mailbox } from './mailbox.ts';
import type { GoogleOAuth } from './oauth.ts';
import type { GmailQuota } from './quota.ts';

const FULL = 'https://mail.google.com/';
const MODIFY = 'https://www.googleapis.com/auth/gmail.modify';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const METADATA = 'https://www.googleapis.com/auth/gmail.metadata';
const LABELS = 'https://www.googleapis.com/auth/gmail.labels';
const SEND = 'https://www.googleapis.com/auth/gmail.send';
const INSERT = 'https://www.googleapis.com/auth/gmail.insert';
const COMPOSE = 'https://www.googleapis.com/auth/gmail.compose';
const ADDON_COMPOSE = 'https://www.googleapis.com/auth/gmail.addons.current.action.compose';
/** Gmail add-ons' scopes for the message the add-on was opened on. */
const ADDON_ACTION = 'https://www.googleapis.com/auth/gmail.addons.current.message.action';
const ADDON_METADATA = 'https://www.googleapis.com/auth/gmail.addons.current.message.metadata';
const ADDON_READONLY = 'https://www.googleapis.com/auth/gmail.addons.current.message.readonly';

/** Scopes accepted per method, from the discovery document's "scopes" lists. */
export const GMAIL_SCOPES = {
  read: [FULL, MODIFY, READONLY, METADATA],
  /** messages.get (format minimal or metadata) and threads.get: the read scopes and the add-ons' message scopes. */
  messageRead: [FULL, MODIFY, READONLY, METADATA, ADDON_ACTION, ADDON_METADATA, ADDON_READONLY],
  /** messages.get (full or raw) and attachments.get. */
  messageContent: [FULL, MODIFY, READONLY, ADDON_ACTION, ADDON_READONLY],
  labelsRead: [FULL, MODIFY, READONLY, METADATA, LABELS],
  labelsWrite: [FULL, MODIFY, LABELS],
  modify: [FULL, MODIFY],
  delete: [FULL],
  insert: [FULL, MODIFY, INSERT],
  send: [FULL, MODIFY, COMPOSE, SEND, ADDON_COMPOSE],
  draftsRead: [FULL, COMPOSE, MODIFY, READONLY],
  draftsWrite: [FULL, ADDON_COMPOSE, COMPOSE, MODIFY],
} as const;

export interface GmailDeps {
  ctx: EmulatorContext;
  oauth: GoogleOAuth;
  quota: GmailQuota;
  mailboxes: Map<string, Mailbox>;
  /** `=` padding of base64url fields (`POST /_control/google/encoding`). */
  encoding: GmailEncoding;
}

export function openMailbox(
  deps: GmailDeps,
  req: EmulatorRequest,
  endpoint: string,
  scopes: readonly string[],
): { box: Mailbox; scopes: string[] } {
  const grant = deps.oauth.authorize(req, [...scopes], 'gmail.googleapis.com', protoMethod(endpoint));
  const userId = req.params.userId ?? 'me';
  const email = userId === 'me' ? grant.email : userId;
  if (email.toLowerCase() !== grant.email.toLowerCase()) {
    throw googleError(403, 'forbidden', 'Delegation denied for ' + grant.email);
  }
  const box = deps.mailboxes.get(grant.email);
  if (!box) throw googleError(400, 'failedPrecondition', 'Mail service not enabled');
  deps.quota.charge(grant.email, endpoint, deps.ctx.now());
  return { box, scopes: grant.scopes };
}

/**
 * A token granted gmail.metadata (even beside a broader read scope) sees headers and labels only:
 * Gmail refuses bodies (format full or raw) and list queries as 403 forbidden, in these words
 * (observed in public reports: laravel-gmail#90, googleworkspace/cli#104, python-client#582).
 */
export function refuseUnderMetadataScope(scopes: readonly string[], ask: { format?: string; q?: string | null }): void {
  if (!scopes.includes(METADATA)) return;
  if (ask.q) throw googleError(403, 'forbidden', "Metadata scope does not support 'q' parameter");
  if (ask.format === 'full' || ask.format === 'raw')
    throw googleError(403, 'forbidden', `Metadata scope doesn't allow format ${ask.format.toUpperCase()}`);
}

/**
 * The RPC name Gmail reports in ErrorInfo.metadata.method, e.g. gmail.users.messages.get ->
 * caribou.api.proto.MailboxService.GetMessage (verb + resource, plural for list/batch verbs).
 */
export function protoMethod(endpoint: string): string {
  const parts = endpoint.split('.').slice(2);
  const verb = parts.at(-1) ?? '';
  const resource = parts.length > 1 ? (parts.at(-2) as string) : '';
  const plural = /^(list|batch)/.test(verb) || resource === 'history';
  const noun = resource.charAt(0).toUpperCase() + (plural ? resource.slice(1) : resource.slice(1).replace(/s$/, ''));
  const action = verb.charAt(0).toUpperCase() + verb.slice(1);
  return `caribou.api.proto.MailboxService.${action}${noun}`;
}

/** Looks a message or thread up by id: 400 for an id Gmail cannot parse, 404 when it names nothing. */
export function byGmailId<T>(map: Map<string, T>, id: string | undefined): T {
  checkGmailId(id ?? '');
  return messageOr404(map.get(id ?? ''));
}

export function messageOr404<T>(value: T | undefined): T {
  if (value === undefined) throw notFound();
  return value;
}

export function intParam(req: EmulatorRequest, name: string, fallback: number, max: number): number {
  const raw = req.url.searchParams.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw invalidParameter(name, 'TYPE_UINT32', raw);
  return Math.min(n, max);
}

export function jsonBody(req: EmulatorRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const v = JSON.parse(req.body.toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw googleError(400, 'parseError', 'Invalid JSON payload received.');
}

/** Page tokens are opaque to clients; ours are base64 offsets. */
export function readPageToken(req: EmulatorRequest): number {
  const token = req.url.searchParams.get('pageToken');
  if (!token) return 0;
  const text = Buffer.from(token, 'base64url').toString();
  const n = Number(text);
  // Only tokens this emulator minted: a decimal offset that encodes back to the same token.
  if (!/^\d+$/.test(text) || pageToken(n) !== token) throw googleError(400, 'invalidArgument', 'Invalid pageToken');
  return n;
}

export function pageToken(offset: number): string {
  return Buffer.from(String(offset)).toString('base64url');
}

/**
 * A list method's answer for one page (maxResults default 100, at most 500; pageToken): resultSizeEstimate,
 * the page's items under `key` (left out when there are none, as Gmail does) and nextPageToken while more remain.
 */
export function listPage<T>(req: EmulatorRequest, all: T[], key: string, view: (item: T) => unknown): Record<string, unknown> {
  const max = intParam(req, 'maxResults', 100, 500) || 100;
  const offset = readPageToken(req);
  const page = all.slice(offset, offset + max);
  const body: Record<string, unknown> = { resultSizeEstimate: all.length };
  if (page.length > 0) body[key] = page.map(view);
  if (offset + max < all.length) body.nextPageToken = pageToken(offset + max);
  return body;
}
