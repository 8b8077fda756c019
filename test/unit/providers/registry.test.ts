import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { ProviderRegistry } from '../../../main/providers/registry.ts';
import { offlineProviders } from '../../support/offlineProviders.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('the provider registry', () => {
  let db: WritableDb;
  let providers: ProviderRegistry;
  const dir = makeTempDir();
  beforeEach(() => {
    db = openIndex(':memory:');
    providers = offlineProviders(db, new BlobStore(db, dir.path));
  });
  afterEach(() => db.close());
  const run = { signal: new AbortController().signal, reportProgress: () => {} };

  it("gives each account its provider's description, and connects by sign-in flow", () => {
    const gmail = ensureAccount(db, 'gmail', 'a@gmail.test');
    const outlook = ensureAccount(db, 'microsoft', 'b@outlook.test');
    const imported = ensureAccount(db, 'local', 'local@outpost.localhost');
    expect(providers.of(gmail).description).toMatchObject({ name: 'Google', capabilities: { organization: 'labels' } });
    expect(providers.of(outlook).description).toMatchObject({ name: 'Microsoft', capabilities: { organization: 'folders' } });
    expect(providers.of(imported).description).toMatchObject({
      name: 'Imported mail',
      capabilities: { sync: false, send: false },
    });
    expect(providers.forConnect('google').description.id).toBe('gmail');
    expect(providers.forConnect('microsoft').description.id).toBe('microsoft');
  });

  it('has imported mail sync nothing and send nothing', async () => {
    const imported = ensureAccount(db, 'local', 'local@outpost.localhost');
    const session = providers.of(imported).session(imported);
    expect(await session.syncMail({ mode: 'incremental', catchUp: false }, run)).toMatchObject({ messagesProcessed: 0 });
    expect(await session.syncCalendars({ full: false, window: { from: 0, to: 1 } }, run)).toEqual({ eventsProcessed: 0 });
    await expect(session.sender()).rejects.toMatchObject({ code: 'not_connected' });
    expect(providers.of(imported).revocation(imported)).toBeNull();
    await expect(providers.of(imported).connect({ openBrowser: async () => {} })).rejects.toMatchObject({
      code: 'not_supported',
    });
  });

  it('has a provider without an OAuth client refuse every call, naming what to set', async () => {
    const gmail = ensureAccount(db, 'gmail', 'a@gmail.test');
    const outlook = ensureAccount(db, 'microsoft', 'b@outlook.test');
    await expect(providers.of(gmail).session(gmail).syncMail({ mode: 'full', catchUp: false }, run)).rejects.toMatchObject({
      code: 'not_connected',
      message: expect.stringMatching(/OUTPOST_GOOGLE_CLIENT_ID/),
    });
    await expect(providers.forConnect('microsoft').connect({ openBrowser: async () => {} })).rejects.toMatchObject({
      code: 'provider_not_configured',
      message: expect.stringMatching(/OUTPOST_MICROSOFT_CLIENT_ID/),
    });
    // Google can revoke a grant (it cannot be told here); Microsoft has no per-app revocation.
    expect(await providers.of(gmail).revocation(gmail)?.()).toBe(false);
    expect(providers.of(outlook).revocation(outlook)).toBeNull();
  });

  it('matches the provider names the documented sync endpoints take', () => {
    const gmail = { provider: 'gmail' as const };
    const outlook = { provider: 'microsoft' as const };
    expect([undefined, 'gmail', 'google', 'microsoft'].map((name) => ProviderRegistry.matches(gmail, name))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(ProviderRegistry.matches(outlook, 'microsoft')).toBe(true);
  });
});
