import { Type } from 'typebox';
import { LabelCreateBody, LabelResponse, LabelUpdateBody } from '../../../shared/api/threads.ts';
import { parsePublicId, publicId } from '../../../shared/ids.ts';
import { OutpostError } from '../../core/outpostError.ts';
import type { ReadableDb } from '../../db/handles.ts';
import { listLabelsWithCounts } from '../../db/queries/labels.ts';
import type { LabelManagement } from '../../mail/labelManagement.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const errors = {
  400: { $ref: 'ApiError#' },
  401: { $ref: 'ApiError#' },
  404: { $ref: 'ApiError#' },
  502: { $ref: 'ApiError#' },
  503: { $ref: 'ApiError#' },
};
const LabelParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

/**
 * Labels and folders made, renamed and deleted (POST/PATCH/DELETE /v1/email/labels): at the provider
 * at once (main/mail/labelManagement.ts), the index following; offline, the provider's error and no change.
 */
export function registerLabelRoutes(app: ApiServer, { reader, labels }: ApiDeps): void {
  const management = (): LabelManagement => {
    if (!labels) throw new OutpostError('service_unavailable', 'label management is not available in this process');
    return labels;
  };
  const labelId = (value: string, field = 'id'): number => {
    const id = parsePublicId('lbl', value);
    if (id === null) throw new OutpostError('not_found', `no label ${value.slice(0, 40)}`, { field });
    return id;
  };
  /** The label as GET /v1/email/labels lists it, counts included. */
  const present = (accountId: string, id: number) => {
    const label = presentLabels(reader, accountId).find((l) => l.id === publicId('lbl', id));
    if (!label) throw new OutpostError('not_found', `no label lbl_${id}`);
    return label;
  };
  const config = { auth: { scope: 'write:email' } } as const;

  app.post(
    '/v1/email/labels',
    {
      config,
      schema: {
        summary: 'Makes a label (Gmail) or folder (Outlook) at the provider, inside parent_id when given',
        body: LabelCreateBody,
        response: { 201: LabelResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { account_id: accountId, name, parent_id: parentId } = request.body;
      const trimmed = nameOf(name);
      const parent = parentId === undefined ? null : labelId(parentId, 'parent_id');
      const row = await management().create(accountId, trimmed, parent);
      reply.code(201);
      return { data: present(row.account_id, row.id) };
    },
  );

  app.patch(
    '/v1/email/labels/:id',
    {
      config,
      schema: {
        summary: 'Renames a label or folder at the provider (Gmail: "a/b" moves it under a)',
        params: LabelParams,
        body: LabelUpdateBody,
        response: { 200: LabelResponse, ...errors },
      },
    },
    async (request) => {
      const row = await management().rename(labelId(request.params.id), nameOf(request.body.name));
      return { data: present(row.account_id, row.id) };
    },
  );

  app.delete(
    '/v1/email/labels/:id',
    {
      config,
      schema: {
        summary: 'Deletes a label or folder at the provider; its conversations stay, without it',
        params: LabelParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await management().delete(labelId(request.params.id));
      reply.code(204);
      return null;
    },
  );
}

/** The name without surrounding spaces; blank, or with an empty part ("a//b"), is refused. */
function nameOf(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.split('/').some((part) => !part.trim()))
    throw new OutpostError('validation_error', 'a label name needs text (and no empty part between "/")', { field: 'name' });
  return trimmed;
}

/** Every account's labels (or one's) as the API shows them: counts, and the folder each is inside. */
export function presentLabels(reader: ReadableDb, accountId?: string) {
  const rows = listLabelsWithCounts(reader, accountId);
  const byRemote = new Map(rows.map((l) => [`${l.account_id}\n${l.remote_id}`, l.id]));
  return rows.map((l) => {
    const parent = l.parent_remote_id === null ? undefined : byRemote.get(`${l.account_id}\n${l.parent_remote_id}`);
    return {
      id: publicId('lbl', l.id),
      account_id: l.account_id,
      name: l.name,
      kind: l.kind,
      role: l.role,
      thread_count: l.thread_count,
      unread_thread_count: l.unread_thread_count,
      parent_id: parent === undefined ? null : publicId('lbl', parent),
    };
  });
}
