/**
 * Drafts in the UI, kept at Gmail and Outlook (emulator) both ways: "Keep as draft" puts the message in the
 * Drafts view and in Gmail's drafts; opening it from Drafts opens compose with its content, and an
 * edit there updates the same Gmail draft; a draft written elsewhere shows in Drafts after a sync.
 */
import type { Page } from 'playwright';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser, signIn as graphSignIn } from '../emulator/microsoft/testAuth.ts';
import { emulatorControl, microsoftConfigFor, providerEnvFor, runMailSync } from '../support/emulatorAccounts.ts';
import { useGmailUiSession } from '../support/gmailUiSession.ts';
import { makeTempDir } from '../support/tempDir.ts';
import { type UiSessionHarness, useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const USER = 'alice@gmail.test';

/** A new message written in compose (c), saved, then closed with "Keep as draft". */
async function keepNewDraft(
  ui: Pick<UiSessionHarness, 'composer'>,
  page: Page,
  draft: { to: string; subject: string; text: string },
): Promise<void> {
  const composer = await ui.composer(page, () => page.keyboard.press('c'));
  const form = composer.getByRole('form', { name: 'New message' });
  await form.getByLabel('To', { exact: true }).fill(draft.to);
  await form.getByLabel('Subject').fill(draft.subject);
  await form.getByRole('textbox', { name: 'Message', exact: true }).fill(draft.text);
  await expect.poll(() => form.locator('.compose-saved').textContent(), { timeout: 10_000 }).toBe('Draft saved');
  await form.getByRole('textbox', { name: 'Message', exact: true }).press('Escape');
  await composer.getByRole('alertdialog', { name: 'Close this message?' }).getByRole('button', { name: 'Keep as draft' }).click();
  await expect.poll(() => form.count()).toBe(0);
}

/** The Drafts view, its rows polled until one with this subject shows. */
async function openDrafts(page: Page, subject: string) {
  // The sidebar's Drafts mailbox, named with its count of drafts when it has any ("Drafts 1 drafts").
  await page
    .getByRole('navigation', { name: 'Mailboxes' })
    .getByRole('button', { name: /^Drafts(\s*\d+ drafts)?$/ })
    .click();
  const row = page.getByRole('option').filter({ hasText: subject });
  await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
  return row;
}

describeOnEachSurface('drafts at Gmail through the UI (emulator)', (surface) => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());
  const ui = useGmailUiSession(surface, 40);

  /** Gmail's drafts as another client reads them: id, subject and the text of each. */
  const gmailDrafts = async (): Promise<Array<{ id: string; subject: string; text: string }>> => {
    const minted = (await emulatorControl(ui.emulator)('/google/tokens', {
      method: 'POST',
      body: { email: USER, scopes: ['https://mail.google.com/'] },
    })) as { access_token: string };
    const get = async (path: string) =>
      (await (
        await fetch(`${ui.emulator.baseUrl}/gmail/v1/users/me/${path}`, {
          headers: { authorization: `Bearer ${minted.access_token}` },
        })
      ).json()) as Record<string, unknown>;
    const list = ((await get('drafts')).drafts ?? []) as Array<{ id: string }>;
    return Promise.all(
      list.map(async ({ id }) => {
        const draft = (await get(`drafts/${id}?format=raw`)) as { message: { raw: string } };
        const raw = Buffer.from(draft.message.raw, 'base64url').toString('utf8');
        return { id, subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '', text: raw };
      }),
    );
  };
  const draftsNamed = async (subject: string) => (await gmailDrafts()).filter((d) => d.subject === subject);

  it('Keep as draft: in the Drafts view and in Gmail; opened from Drafts, compose has it, and an edit updates the same draft', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    await keepNewDraft(ui, page, { to: 'dave@example.test', subject: 'Plans for Thursday', text: 'Bring the slides.' });

    const row = await openDrafts(page, 'Plans for Thursday');
    await ui.screenshot(page, 'drafts-view.png');
    await expect.poll(async () => (await draftsNamed('Plans for Thursday')).length, { timeout: 15_000 }).toBe(1);
    const [first] = await draftsNamed('Plans for Thursday');
    expect(first?.text).toContain('Bring the slides.');

    // Opened from Drafts: compose with its recipients, subject and text.
    const reopened = await ui.composer(page, () => row.click());
    const again = reopened.getByRole('form', { name: 'New message' });
    await expect
      .poll(() => again.getByLabel('Subject', { exact: true }).inputValue(), { timeout: 10_000 })
      .toBe('Plans for Thursday');
    expect(await again.getByRole('combobox', { name: 'To' }).inputValue()).toBe('dave@example.test');
    expect(await again.getByRole('textbox', { name: 'Message', exact: true }).inputValue()).toContain('Bring the slides.');
    await ui.screenshot(reopened, 'draft-reopened.png');

    await again.getByRole('textbox', { name: 'Message', exact: true }).fill('Bring the slides and the figures.');
    await expect.poll(() => again.locator('.compose-saved').textContent(), { timeout: 10_000 }).toBe('Draft saved');
    // The same Gmail draft, now with the edit; one draft, one conversation in Drafts.
    await expect
      .poll(async () => (await draftsNamed('Plans for Thursday')).map((d) => [d.id, d.text.includes('and the figures')]), {
        timeout: 15_000,
      })
      .toEqual([[first?.id, true]]);
    await again.getByRole('textbox', { name: 'Message', exact: true }).press('Escape');
    await reopened
      .getByRole('alertdialog', { name: 'Close this message?' })
      .getByRole('button', { name: 'Keep as draft' })
      .click();
    await expect
      .poll(() => page.getByRole('option').filter({ hasText: 'Plans for Thursday' }).count(), { timeout: 10_000 })
      .toBe(1);
    await ui.closePage(page);
  }, 120_000);

  it('a draft written in Gmail elsewhere shows in Drafts after a sync, opens into compose, and discarding it deletes it there', async () => {
    const minted = (await emulatorControl(ui.emulator)('/google/tokens', {
      method: 'POST',
      body: { email: USER, scopes: ['https://mail.google.com/'] },
    })) as { access_token: string };
    const raw = Buffer.from(
      'To: erin@example.test\r\nSubject: Written on the phone\r\nContent-Type: text/plain\r\n\r\nOn the bus.\r\n',
    );
    const made = await fetch(`${ui.emulator.baseUrl}/gmail/v1/users/me/drafts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${minted.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: { raw: raw.toString('base64url') } }),
    });
    expect(made.status).toBe(200);
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    expect(
      (await ui.api('/v1/email/sync', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status,
    ).toBe(200);
    const row = await openDrafts(page, 'Written on the phone');
    const composer = await ui.composer(page, () => row.click());
    const form = composer.getByRole('form', { name: 'New message' });
    await expect
      .poll(() => form.getByLabel('Subject', { exact: true }).inputValue(), { timeout: 10_000 })
      .toBe('Written on the phone');
    expect(await form.getByRole('textbox', { name: 'Message', exact: true }).inputValue()).toContain('On the bus.');
    // Discarded unchanged (asked first, as a saved draft is): gone from Drafts here and in Gmail.
    await form.getByRole('button', { name: 'Discard' }).click();
    await composer.getByRole('alertdialog', { name: 'Close this message?' }).getByRole('button', { name: 'Discard' }).click();
    await expect.poll(async () => (await draftsNamed('Written on the phone')).length, { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByRole('option').filter({ hasText: 'Written on the phone' }).count()).toBe(0);
    await ui.closePage(page);
  }, 120_000);
});

describeOnEachSurface('drafts in Outlook through the UI (emulator)', (surface) => {
  let emulator: RunningEmulator | undefined;
  const running = () => {
    if (!emulator) throw new Error('the emulator has not started');
    return emulator;
  };
  beforeAll(async () => {
    emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: 40 } });
  }, 60_000);
  afterAll(async () => {
    await emulator?.stop();
  });
  const ui = useUiSession(
    surface,
    async (dataDir) => {
      const engine = openEngine({
        log: silentLog,
        dataDir,
        providers: { google: null, microsoft: microsoftConfigFor(running().baseUrl) },
      });
      try {
        const account = await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
        expect(await runMailSync(engine, account.id)).toMatchObject({ status: 'succeeded' });
      } finally {
        await engine.close();
      }
    },
    () => providerEnvFor(running().baseUrl),
  );

  /** Outlook's Drafts folder as another client reads it. */
  const outlookDrafts = async (): Promise<Array<{ id: string; subject: string; text: string }>> => {
    const token = await graphSignIn(running().baseUrl);
    const response = await fetch(`${running().baseUrl}/v1.0/me/mailFolders/drafts/messages?$top=100`, {
      headers: { authorization: `Bearer ${token}`, prefer: 'IdType="ImmutableId"' },
    });
    const page = (await response.json()) as { value: Array<{ id: string; subject: string; body: { content: string } }> };
    return page.value.map((m) => ({ id: m.id, subject: m.subject, text: m.body.content }));
  };

  it('Keep as draft: in the Drafts view and in Outlook; reopened, compose has it, and an edit updates the same draft', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    await keepNewDraft(ui, page, { to: 'dave@example.test', subject: 'Budget notes', text: 'Numbers to follow.' });

    const row = await openDrafts(page, 'Budget notes');
    const named = async () => (await outlookDrafts()).filter((d) => d.subject === 'Budget notes');
    await expect.poll(async () => (await named()).length, { timeout: 15_000 }).toBe(1);
    const [first] = await named();

    const reopened = await ui.composer(page, () => row.click());
    const again = reopened.getByRole('form', { name: 'New message' });
    await expect.poll(() => again.getByLabel('Subject', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('Budget notes');
    expect(await again.getByRole('textbox', { name: 'Message', exact: true }).inputValue()).toContain('Numbers to follow.');
    await again.getByRole('textbox', { name: 'Message', exact: true }).fill('Numbers to follow, and the totals.');
    await expect.poll(() => again.locator('.compose-saved').textContent(), { timeout: 10_000 }).toBe('Draft saved');
    await expect
      .poll(async () => (await named()).map((d) => [d.id, d.text.includes('and the totals')]), { timeout: 15_000 })
      .toEqual([[first?.id, true]]);
    await ui.closePage(page);
  }, 120_000);
});
