import { expect, it } from 'vitest';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

describeOnEachSurface('Settings → API keys links the API reference', (surface) => {
  const ui = useUiSession(surface, () => {});

  it('opens /docs, the reference of every operation, outside the app window', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await page.getByRole('button', { name: 'Settings' }).click();
    const keys = page.getByRole('region', { name: 'API keys' });
    const link = keys.getByRole('link', { name: 'API reference' });
    expect(await link.getAttribute('target')).toBe('_blank');
    // A browser opens a tab; the desktop app hands the page to the system browser.
    const reference = await ui.external(page, () => link.click());
    await reference.waitForLoadState();
    expect(new URL(reference.url()).pathname).toBe('/docs');
    expect(new URL(reference.url()).origin).toBe(new URL(ui.session.baseUrl).origin);
    await expect.poll(() => reference.getByRole('heading', { level: 1 }).textContent()).toContain('Outpost local API');
    const send = reference.getByRole('article', { name: 'POST /v1/email/send' });
    expect(await send.textContent()).toContain('Idempotency-Key');
    await ui.screenshot(reference, 'api-reference.png');
    await reference.close();
    await ui.closePage(page);
  }, 60_000);
});
