import type { ProviderLabels } from '../accountProvider.ts';
import { toProviderError } from './gmailErrors.ts';
import { call } from './gmailFullSync.ts';
import { toLabelInput } from './gmailLabels.ts';
import type { GmailSession } from './gmailSession.ts';

/** Quota units per method (Gmail API usage limits). */
const UNITS = { create: 5, patch: 5, delete: 5 };

/**
 * The user's Gmail labels (users.labels): create, rename (patch of its name) and delete. Gmail nests
 * by name: a label made inside "Lists" is "Lists/<name>", and renaming to "a/b" moves it under "a".
 */
export function gmailLabelWrites(session: GmailSession, signal?: AbortSignal): ProviderLabels {
  const ctx = { session, signal };
  const labels = session.gmail.users.labels;
  const asInput = (label: Parameters<typeof toLabelInput>[0]) => {
    const input = toLabelInput(label);
    if (!input) throw new Error('Gmail answered a label without its id');
    return input;
  };
  const provider = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw Object.assign(toProviderError(error), { cause: error });
    }
  };
  return {
    create: (name, parent) =>
      provider(async () => {
        const requestBody = {
          name: parent ? `${parent.name}/${name}` : name,
          labelListVisibility: 'labelShow',
          messageListVisibility: 'show',
        };
        const { data } = await call(ctx, UNITS.create, () => labels.create({ userId: 'me', requestBody }, { signal }));
        return asInput(data);
      }),
    rename: (label, name) =>
      provider(async () => {
        const { data } = await call(ctx, UNITS.patch, () =>
          labels.patch({ userId: 'me', id: label.remoteId, requestBody: { name } }, { signal }),
        );
        return asInput(data);
      }),
    delete: (remoteId) =>
      provider(async () => {
        try {
          await call(ctx, UNITS.delete, () => labels.delete({ userId: 'me', id: remoteId }, { signal }));
        } catch (error) {
          // Deleted elsewhere already: what was asked for is so.
          if ((error as { status?: number }).status !== 404) throw error;
        }
      }),
  };
}
