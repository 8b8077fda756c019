import { randomUUID } from 'node:crypto';
import type { EmulatorRequest, Route } from '../kit/types.ts';
import { graphError, parseJsonBody } from './errors.ts';
import { type GraphEnv, type GraphUser, graphRoutes } from './graphContext.ts';
import { graphId } from './ids.ts';
import type { Folder, Mailbox } from './mailbox.ts';
import { folderJson, requireFolder } from './mailRoutes.ts';

/** displayName of a create or rename body: a non-empty string. */
function displayNameOf(req: EmulatorRequest): string {
  const name = parseJsonBody(req.body).displayName;
  if (typeof name !== 'string' || !name.trim())
    throw graphError(400, 'ErrorInvalidRequest', 'The request is invalid: displayName must be a non-empty string.');
  return name;
}

/** Exchange keeps folder names unique among siblings, regardless of case. */
function refuseSiblingName(mb: Mailbox, parentId: string, name: string, except?: Folder): void {
  const lower = name.toLowerCase();
  for (const f of mb.folders.values())
    if (f !== except && f.parentFolderId === parentId && f.displayName.toLowerCase() === lower)
      throw graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
}

function createFolder(u: GraphUser, parentId: string, req: EmulatorRequest) {
  const mb = u.mailbox;
  const displayName = displayNameOf(req);
  refuseSiblingName(mb, parentId, displayName);
  // A fresh id, whatever the name: a folder made again after a delete is another folder.
  const folder: Folder = { id: graphId('folder', `${mb.upn}/${randomUUID()}`), displayName, parentFolderId: parentId };
  mb.folders.set(folder.id, folder);
  return { status: 201, body: folderJson(mb, folder) };
}

/** A folder and every folder below it, deepest first. */
function subtree(mb: Mailbox, folder: Folder): Folder[] {
  const below = [...mb.folders.values()].filter((f) => f.parentFolderId === folder.id).flatMap((f) => subtree(mb, f));
  return [...below, folder];
}

function isUnder(mb: Mailbox, folder: Folder, ancestorId: string): boolean {
  for (let f: Folder | undefined = folder; f; f = mb.folders.get(f.parentFolderId))
    if (f.parentFolderId === ancestorId) return true;
  return false;
}

/**
 * mailFolder create (top level and childFolders), rename (PATCH displayName) and delete, as Exchange
 * does them: a deleted folder moves into Deleted Items with its messages and subfolders (ids kept);
 * deleting it from there removes it for good; well-known folders cannot be deleted.
 */
export function mailFolderRoutes(env: GraphEnv): Route[] {
  const r = (method: Route['method'], path: string, endpoint: string, h: Parameters<typeof graphRoutes>[4]) =>
    graphRoutes(env, method, path, endpoint, h);
  return [
    ...r('POST', '/mailFolders', 'graph.mailFolders.create', (req, u) => createFolder(u, u.mailbox.rootId, req)),
    ...r('POST', '/mailFolders/:folder/childFolders', 'graph.mailFolders.create', (req, u) =>
      createFolder(u, requireFolder(u.mailbox, req.params.folder!).id, req),
    ),
    ...r('PATCH', '/mailFolders/:folder', 'graph.mailFolders.update', (req, u) => {
      const mb = u.mailbox;
      const folder = requireFolder(mb, req.params.folder!);
      const displayName = displayNameOf(req);
      refuseSiblingName(mb, folder.parentFolderId, displayName, folder);
      folder.displayName = displayName;
      return { status: 200, body: folderJson(mb, folder) };
    }),
    ...r('DELETE', '/mailFolders/:folder', 'graph.mailFolders.delete', (req, u) => {
      const mb = u.mailbox;
      const folder = requireFolder(mb, req.params.folder!);
      if (folder.wellKnownName)
        throw graphError(400, 'ErrorDeleteDistinguishedFolder', 'Distinguished folders cannot be deleted.');
      const trash = mb.folder('deleteditems')!;
      if (!isUnder(mb, folder, trash.id)) {
        folder.parentFolderId = trash.id;
        return { status: 204 };
      }
      for (const f of subtree(mb, folder)) {
        for (const m of mb.inFolder(f.id)) mb.remove(m);
        mb.folders.delete(f.id);
      }
      return { status: 204 };
    }),
  ];
}
