/**
 * Gmail users.labels update (PUT, a full replace), patch and delete, as in the v1 discovery document.
 * System labels are refused (400); a name another label has, in any case, is 409 duplicate; deleting a
 * label removes it from every message first (one labelRemoved record each), as Gmail's reference says.
 */
import type { EmulatorRequest, Route } from '../kit/types.ts';
import { badRequest, googleError, notFound } from './errors.ts';
import { GMAIL_SCOPES, type GmailDeps, jsonBody, openMailbox } from './gmailAccess.ts';
import type { GmailLabel, Mailbox } from './mailbox.ts';

const P = '/gmail/v1/users/:userId/labels/:id';

const LABEL_LIST_VISIBILITY = ['labelShow', 'labelShowIfUnread', 'labelHide'];
const MESSAGE_LIST_VISIBILITY = ['show', 'hide'];

/** A label name as Gmail takes it: trimmed, not empty, and no other label's name in any case (409 otherwise). */
export function checkLabelName(box: Mailbox, value: unknown, ownId?: string): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name) throw badRequest('Invalid label name');
  for (const l of box.labels.values()) {
    if (l.id !== ownId && l.name.toLowerCase() === name.toLowerCase())
      throw googleError(409, 'duplicate', 'Label name exists or conflicts');
  }
  return name;
}

function enumField(value: unknown, allowed: string[], field: string, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value)) throw badRequest(`Invalid value for ${field}: ${String(value)}`);
  return value;
}

/** The user label a path names: 404 when none, 400 for a system label (Gmail lets no one change those). */
function userLabel(box: Mailbox, id: string | undefined, verb: 'update' | 'delete'): GmailLabel {
  const label = box.labels.get(id ?? '');
  if (!label) throw notFound();
  if (label.type === 'system') throw badRequest(`Invalid ${verb} request`);
  return label;
}

/** The label a PUT (every field, defaults for those left out) or a PATCH (only the fields given) leaves. */
function changedLabel(box: Mailbox, label: GmailLabel, body: Record<string, unknown>, replace: boolean): GmailLabel {
  const base = replace ? { id: label.id, name: label.name, type: label.type } : label;
  const next: GmailLabel = {
    ...base,
    name: replace || body.name !== undefined ? checkLabelName(box, body.name, label.id) : label.name,
    labelListVisibility: enumField(
      body.labelListVisibility,
      LABEL_LIST_VISIBILITY,
      'labelListVisibility',
      replace ? 'labelShow' : (label.labelListVisibility ?? 'labelShow'),
    ),
    messageListVisibility: enumField(
      body.messageListVisibility,
      MESSAGE_LIST_VISIBILITY,
      'messageListVisibility',
      replace ? 'show' : (label.messageListVisibility ?? 'show'),
    ),
  };
  if (body.color && typeof body.color === 'object') next.color = body.color as GmailLabel['color'];
  return next;
}

export function gmailLabelRoutes(deps: GmailDeps): Route[] {
  const open = (req: EmulatorRequest, endpoint: string) => openMailbox(deps, req, endpoint, GMAIL_SCOPES.labelsWrite).box;
  const change = (req: EmulatorRequest, endpoint: string, replace: boolean) => {
    const box = open(req, endpoint);
    const next = changedLabel(box, userLabel(box, req.params.id, 'update'), jsonBody(req), replace);
    box.labels.set(next.id, next);
    return { status: 200, body: next };
  };
  return [
    {
      method: 'PUT',
      path: P,
      endpoint: 'gmail.users.labels.update',
      handler: (req) => change(req, 'gmail.users.labels.update', true),
    },
    {
      method: 'PATCH',
      path: P,
      endpoint: 'gmail.users.labels.patch',
      handler: (req) => change(req, 'gmail.users.labels.patch', false),
    },
    {
      method: 'DELETE',
      path: P,
      endpoint: 'gmail.users.labels.delete',
      handler: (req) => {
        const box = open(req, 'gmail.users.labels.delete');
        const label = userLabel(box, req.params.id, 'delete');
        for (const m of box.sorted()) if (m.labelIds.includes(label.id)) box.modify(m, [], [label.id]);
        box.labels.delete(label.id);
        return { status: 204 };
      },
    },
  ];
}
