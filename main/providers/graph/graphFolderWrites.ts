import type { ProviderLabels } from '../accountProvider.ts';
import type { GraphClient } from './graphClient.ts';
import { folderLabel, type GraphFolder } from './graphMessages.ts';

/**
 * The user's Outlook mail folders: create (at the top, or inside a folder through its childFolders),
 * rename (PATCH displayName) and delete (Exchange moves it to Deleted Items).
 */
export function graphFolderWrites(client: GraphClient): ProviderLabels {
  const folder = (id: string) => `/me/mailFolders/${encodeURIComponent(id)}`;
  return {
    async create(name, parent) {
      const path = parent ? `${folder(parent.remoteId)}/childFolders` : '/me/mailFolders';
      return folderLabel(
        await client.request<GraphFolder>(path, { method: 'POST', body: { displayName: name }, maxAttempts: 1 }),
      );
    },
    async rename(label, name) {
      return folderLabel(
        await client.request<GraphFolder>(folder(label.remoteId), { method: 'PATCH', body: { displayName: name } }),
      );
    },
    async delete(remoteId) {
      try {
        await client.request(folder(remoteId), { method: 'DELETE' });
      } catch (error) {
        if ((error as { status?: number }).status !== 404) throw error;
      }
    },
  };
}
