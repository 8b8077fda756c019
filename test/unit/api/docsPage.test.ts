import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_CONTENT_SECURITY_POLICY } from '../../../main/api/routes/ui.ts';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

interface Operation {
  summary?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

/** The HTML-escaped form of text, as the page writes it. */
const escaped = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * GET /docs is the API reference a person reads: rendered from the same
 * document as /openapi.json, public, with no script and nothing fetched from
 * anywhere else.
 */
describe('GET /docs', () => {
  const dir = makeTempDir();
  let db: WritableDb;
  let api: LocalApiHarness;
  let page: string;
  let headers: Record<string, unknown>;
  let doc: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    db = openIndex(':memory:');
    seedAccount(db);
    api = await buildLocalApi(db, dir.path);
    // No credentials: the reference is public, as the document is.
    const response = await api.app.inject({ method: 'GET', url: '/docs', headers: { host } });
    expect(response.statusCode).toBe(200);
    page = response.body;
    headers = response.headers;
    doc = (await api.app.inject({ method: 'GET', url: '/openapi.json', headers: { host } })).json();
  });
  afterAll(async () => {
    await api.app.close();
    db.close();
    dir.remove();
  });

  it('is an HTML page under the UI’s Content-Security-Policy, with no script and nothing from another origin', () => {
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toBe(UI_CONTENT_SECURITY_POLICY);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-request-id']).toMatch(/^req_/);
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
    // Every link and resource is on this origin (or inline data): no CDN, nothing from the internet.
    const external = [...page.matchAll(/(?:src|href)="([^"]*)"|url\(([^)]*)\)|@import/g)]
      .map((m) => m[1] ?? m[2] ?? m[0])
      .filter((target) => !/^(#|\/(?!\/)|data:)/.test(target));
    expect(external).toEqual([]);
    expect(page).toContain('href="/openapi.json"');
  });

  it('lists every operation of /openapi.json with its method, path, summary, auth, parameters, body and responses', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThan(40);
    for (const { path, method, operation } of operations) {
      const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '');
      const start = page.indexOf(`<article class="operation" id="${id}"`);
      expect(start, `${method} ${path}`).toBeGreaterThan(-1);
      const article = page.slice(start, page.indexOf('</article>', start));
      expect(article).toContain(`>${method.toUpperCase()}</span> <code>${escaped(path)}</code>`);
      if (operation.summary) expect(article).toContain(escaped(operation.summary).replace(/`([^`]+)`/g, '<code>$1</code>'));
      const security = operation.security ?? [];
      if (security.length === 0) expect(article, `${method} ${path}`).toContain('Public: no credentials.');
      else
        for (const scope of Object.values(security[0] ?? {}).flat())
          expect(article, `${method} ${path}`).toContain(`<code>${escaped(scope)}</code>`);
      for (const parameter of operation.parameters ?? []) expect(article).toContain(`<code>${escaped(parameter.name)}</code>`);
      if (operation.requestBody) expect(article).toContain('<h4>Request body');
      for (const status of Object.keys(operation.responses))
        expect(article, `${method} ${path} ${status}`).toContain(`">${status}</span>`);
    }
  });

  it('explains the ways to authenticate, the headers of every answer and the error catalogue', () => {
    expect(page).toContain('<code>Authorization: bearer</code>');
    expect(page).toContain('<code>header x-dolfin-api-key</code>');
    expect(page).toContain('<code>cookie authjs.session-token</code>');
    for (const header of [
      'X-Request-ID',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
      'Idempotent-Replayed',
    ])
      expect(page).toContain(`<code>${header}</code>`);
    expect(page).toContain('id="schema-ApiError"');
    expect(page).toContain('<td><code>idempotency_conflict</code></td><td>409</td>');
    // The send: its fields and its Idempotency-Key.
    const send = page.slice(page.indexOf('id="post-v1-email-send"'));
    expect(send.slice(0, send.indexOf('</article>'))).toMatch(/Idempotency-Key[\s\S]*body_html[\s\S]*contact_id/);
  });
});
