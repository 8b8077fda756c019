import { ERROR_CATALOGUE, ERROR_CODES } from '../../shared/errors.ts';
import { UI_CONTENT_SECURITY_POLICY } from './routes/ui.ts';
import type { ApiServer } from './server.ts';

/**
 * GET /docs: the API reference as one static page, rendered on the server
 * from the OpenAPI document (so it says what /openapi.json says): every
 * operation with its method, path, summary, who may call it, parameters,
 * request body and responses; the ways to authenticate, the headers of every
 * answer and the error catalogue. No script and nothing fetched from
 * anywhere; served under the UI's Content-Security-Policy.
 */
export function registerDocsPage(app: ApiServer): void {
  let page: string | null = null;
  app.get('/docs', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    page ??= renderDocsPage(app.swagger() as unknown as ApiDocument);
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', UI_CONTENT_SECURITY_POLICY)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer')
      .send(page);
  });
}

type Schema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

interface MediaTypes {
  [mediaType: string]: { schema?: Schema };
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: MediaTypes };
  responses: Record<string, { description?: string; headers?: Record<string, { $ref?: string }>; content?: MediaTypes }>;
}

export interface ApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas?: Record<string, Schema>;
    securitySchemes?: Record<string, { type: string; scheme?: string; in?: string; name?: string; description?: string }>;
    headers?: Record<string, { description?: string; required?: boolean; schema?: Schema }>;
  };
}

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

/** The page, from the document. */
export function renderDocsPage(doc: ApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .sort(([a], [b]) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b))
      .map(([method, operation]) => ({ path, method, operation, id: anchorOf(method, path) })),
  );
  const tags = [...new Set(operations.map((o) => o.operation.tags?.[0] ?? 'Other'))];
  const byTag = (tag: string) => operations.filter((o) => (o.operation.tags?.[0] ?? 'Other') === tag);
  const contents = tags
    .map(
      (tag) =>
        `<li><a href="#${anchorOf('tag', tag)}">${esc(tag)}</a><ul>${byTag(tag)
          .map(
            (o) =>
              `<li><a href="#${o.id}"><span class="method ${o.method}">${o.method.toUpperCase()}</span> <code>${esc(o.path)}</code></a></li>`,
          )
          .join('')}</ul></li>`,
    )
    .join('');
  const sections = tags
    .map(
      (tag) =>
        `<section class="tag" id="${anchorOf('tag', tag)}"><h2>${esc(tag)}</h2>${byTag(tag)
          .map((o) => renderOperation(doc, o.method, o.path, o.operation, o.id))
          .join('\n')}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} ${esc(doc.info.version)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<nav aria-label="Operations"><p class="title">${esc(doc.info.title)}</p><ul>${contents}</ul></nav>
<main>
<header>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${inline(doc.info.description ?? '')}</p>
<p>The same reference as an OpenAPI 3.1 document: <a href="/openapi.json">/openapi.json</a>.</p>
</header>
${renderAuthentication(doc)}
${renderCommonHeaders(doc)}
${renderErrors(doc)}
${sections}
</main>
</body>
</html>
`;
}

function renderOperation(doc: ApiDocument, method: string, path: string, operation: Operation, id: string): string {
  const parameters = operation.parameters ?? [];
  const body = operation.requestBody;
  return `<article class="operation" id="${id}" aria-labelledby="${id}-title">
<h3 id="${id}-title"><span class="method ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
${operation.summary ? `<p class="summary">${inline(operation.summary)}</p>` : ''}
${operation.description ? `<p>${inline(operation.description)}</p>` : ''}
<dl class="facts"><dt>Auth</dt><dd>${renderSecurity(doc, operation.security)}</dd></dl>
${
  parameters.length > 0
    ? `<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${parameters
        .map(
          (p) =>
            `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="required">required</span>' : ''}</td><td>${esc(p.in)}</td><td>${typeOf(doc, p.schema ?? {})}</td><td>${inline(p.description ?? (p.schema?.description as string | undefined) ?? '')}${constraints(p.schema ?? {})}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : ''
}
${
  body
    ? `<h4>Request body ${body.required ? '<span class="required">required</span>' : '<span class="optional">optional: an absent or empty body is {}</span>'}</h4>${renderContent(doc, body.content)}`
    : ''
}
${renderResponses(doc, operation.responses)}
</article>`;
}

function renderSecurity(doc: ApiDocument, security: Operation['security']): string {
  if (!security || security.length === 0) return 'Public: no credentials.';
  return security
    .map((requirement) =>
      Object.entries(requirement)
        .map(([name, scopes]) => {
          const scheme = doc.components.securitySchemes?.[name];
          const how =
            scheme?.type === 'http'
              ? 'Authorization: Bearer'
              : scheme?.in === 'cookie'
                ? `cookie ${scheme.name}`
                : `header ${scheme?.name}`;
          const scope =
            scopes.length > 0 ? ` with scope ${scopes.map((s) => `<code>${esc(s)}</code>`).join(', ')}` : ' (any scope)';
          return `<code>${esc(how)}</code>${scope}`;
        })
        .join(' and '),
    )
    .join(' <em>or</em> ');
}

function renderContent(doc: ApiDocument, content: MediaTypes | undefined): string {
  if (!content || Object.keys(content).length === 0) return '<p class="muted">No body.</p>';
  return Object.entries(content)
    .map(([media, { schema }]) => {
      const rendered =
        schema && schema.format === 'binary' ? '<p class="muted">The bytes.</p>' : schema ? renderSchema(doc, schema, 0) : '';
      return `<p class="media"><code>${esc(media)}</code></p>${rendered}`;
    })
    .join('');
}

/** Successes in full (body and headers); errors as one table of status, meaning and shape. */
function renderResponses(doc: ApiDocument, responses: Operation['responses']): string {
  const entries = Object.entries(responses);
  const successes = entries.filter(([status]) => Number(status) < 400);
  const errors = entries.filter(([status]) => Number(status) >= 400);
  const success = successes
    .map(
      ([status, response]) =>
        `<dt><span class="status s${status[0]}">${esc(status)}</span> ${inline(response.description ?? '')}</dt><dd>${renderContent(doc, response.content)}${renderResponseHeaders(doc, response.headers)}</dd>`,
    )
    .join('');
  const failure = errors
    .map(([status, response]) => {
      const shapes = Object.entries(response.content ?? {})
        .map(([media, { schema }]) => `${schema ? typeOf(doc, schema) : ''} <span class="muted">${esc(media)}</span>`)
        .join('<br>');
      return `<tr><td><span class="status s${status[0]}">${esc(status)}</span></td><td>${inline(response.description ?? '')}</td><td>${shapes}</td></tr>`;
    })
    .join('');
  return `<h4>Responses</h4><dl class="responses">${success}</dl>${
    failure
      ? `<table class="errors"><thead><tr><th>Error</th><th>When</th><th>Body</th></tr></thead><tbody>${failure}</tbody></table>`
      : ''
  }`;
}

/** The headers a response carries beyond those every response carries. */
function renderResponseHeaders(doc: ApiDocument, headers: Operation['responses'][string]['headers']): string {
  const always = new Set(
    Object.entries(doc.components.headers ?? {})
      .filter(([, header]) => header.required)
      .map(([name]) => name),
  );
  const names = Object.keys(headers ?? {}).filter((name) => !always.has(name));
  if (names.length === 0) return '';
  return `<p class="headers">Also: ${names.map((name) => `<a href="#headers"><code>${esc(name)}</code></a>`).join(', ')}</p>`;
}

const MAX_DEPTH = 6;

/** A schema as a list of its fields (objects), or its type in words. */
function renderSchema(doc: ApiDocument, schema: Schema, depth: number): string {
  const ref = refName(schema);
  if (ref) {
    const description = schema.description ? ` ${inline(String(schema.description))}` : '';
    return `<p>See <a href="#schema-${esc(ref)}">${esc(ref)}</a>.${description}</p>`;
  }
  const fields = propertiesOf(schema);
  if (!fields || depth >= MAX_DEPTH) return `<p>${typeOf(doc, schema)}${constraints(schema)}</p>`;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return `<ul class="fields">${Object.entries(fields)
    .map(([name, field]) => {
      const nested = nestedObject(field);
      return `<li><code>${esc(name)}</code> <span class="type">${typeOf(doc, field)}</span>${required.has(name) ? ' <span class="required">required</span>' : ''}${
        field.description ? ` — ${inline(String(field.description))}` : ''
      }${constraints(field)}${nested ? renderSchema(doc, nested, depth + 1) : ''}</li>`;
    })
    .join('')}</ul>`;
}

function propertiesOf(schema: Schema): Record<string, Schema> | undefined {
  return schema.properties as Record<string, Schema> | undefined;
}

/** The object inside a field worth listing: the field itself, or an array's items. */
function nestedObject(field: Schema): Schema | undefined {
  if (propertiesOf(field)) return field;
  const items = field.items as Schema | undefined;
  if (items && propertiesOf(items)) return items;
  return undefined;
}

/** A schema's type in words: `string`, `array of object`, `"a" | "b"`, `ThreadSummary`. */
function typeOf(doc: ApiDocument, schema: Schema): string {
  const ref = refName(schema);
  if (ref) return `<a href="#schema-${esc(ref)}">${esc(ref)}</a>`;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  if ('const' in schema) return `<code>${esc(JSON.stringify(schema.const))}</code>`;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) return branches.map((b) => typeOf(doc, b as Schema)).join(' | ');
  }
  if (Array.isArray(schema.allOf)) return schema.allOf.map((b) => typeOf(doc, b as Schema)).join(' &amp; ');
  const type = schema.type;
  if (type === 'array') return `array of ${typeOf(doc, (schema.items as Schema | undefined) ?? {})}`;
  if (Array.isArray(type)) return type.map((t) => esc(String(t))).join(' | ');
  if (typeof type === 'string') return esc(schema.format ? `${type} (${String(schema.format)})` : type);
  return 'any';
}

/** Limits and defaults worth knowing, in words. */
function constraints(schema: Schema): string {
  const parts: string[] = [];
  if (schema.default !== undefined) parts.push(`default <code>${esc(JSON.stringify(schema.default))}</code>`);
  if (typeof schema.minimum === 'number') parts.push(`≥ ${schema.minimum}`);
  if (typeof schema.maximum === 'number') parts.push(`≤ ${schema.maximum}`);
  if (typeof schema.minLength === 'number' && schema.minLength > 0)
    parts.push(`at least ${schema.minLength} character${schema.minLength === 1 ? '' : 's'}`);
  if (typeof schema.maxLength === 'number')
    parts.push(`at most ${schema.maxLength} character${schema.maxLength === 1 ? '' : 's'}`);
  if (typeof schema.maxItems === 'number') parts.push(`at most ${schema.maxItems} items`);
  if (typeof schema.pattern === 'string') parts.push(`matching <code>${esc(schema.pattern)}</code>`);
  return parts.length > 0 ? ` <span class="constraints">(${parts.join(', ')})</span>` : '';
}

function renderAuthentication(doc: ApiDocument): string {
  const schemes = Object.entries(doc.components.securitySchemes ?? {});
  return `<section id="authentication"><h2>Authentication</h2><dl>${schemes
    .map(([name, scheme]) => {
      const how =
        scheme.type === 'http'
          ? `Authorization: ${scheme.scheme ?? ''}`
          : `${scheme.in === 'cookie' ? 'cookie' : 'header'} ${scheme.name}`;
      return `<dt><code>${esc(how)}</code> <span class="muted">(${esc(name)})</span></dt><dd>${inline(scheme.description ?? '')}</dd>`;
    })
    .join('')}</dl></section>`;
}

function renderCommonHeaders(doc: ApiDocument): string {
  return `<section id="headers"><h2>Response headers</h2><dl>${Object.entries(doc.components.headers ?? {})
    .map(
      ([name, header]) =>
        `<dt><code>${esc(name)}</code> ${header.required ? '<span class="muted">on every response</span>' : '<span class="muted">when it applies</span>'}</dt><dd>${inline(header.description ?? '')}</dd>`,
    )
    .join('')}</dl></section>`;
}

function renderErrors(doc: ApiDocument): string {
  const schemas = Object.entries(doc.components.schemas ?? {});
  return `<section id="errors"><h2>Errors</h2>
<p>Every error has the same shape and a stable <code>code</code> from the catalogue below; the Dolfin route answers them as <code>application/problem+json</code> (ProblemDetails), keeping <code>code</code>, <code>message</code> and <code>request_id</code>.</p>
${schemas.map(([name, schema]) => `<h3 id="schema-${esc(name)}">${esc(name)}</h3>${renderSchema(doc, schema, 0)}`).join('')}
<table><thead><tr><th>Code</th><th>Status</th><th>Meaning</th></tr></thead><tbody>${ERROR_CODES.map(
    (code) =>
      `<tr><td><code>${esc(code)}</code></td><td>${ERROR_CATALOGUE[code].status}</td><td>${esc(ERROR_CATALOGUE[code].summary)}</td></tr>`,
  ).join('')}</tbody></table></section>`;
}

function refName(schema: Schema): string | null {
  return typeof schema.$ref === 'string' ? (schema.$ref.split('/').at(-1) ?? null) : null;
}

function anchorOf(method: string, path: string): string {
  return `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '');
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text with `code` spans (the document's descriptions use backticks), escaped. */
function inline(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5b6475; --line: #d9dde5; --bg: #fff; --code: #f3f5f8; --accent: #2457c5; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e7ee; --muted: #9aa3b5; --line: #343b49; --bg: #15181e; --code: #202531; --accent: #7aa2ff; } }
* { box-sizing: border-box; }
body { margin: 0; display: grid; grid-template-columns: 22rem 1fr; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
nav { position: sticky; top: 0; height: 100vh; overflow: auto; padding: 1rem; border-right: 1px solid var(--line); font-size: 13px; }
nav ul { list-style: none; padding-left: 0.6rem; margin: 0.2rem 0; }
nav li li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
nav code { background: none; }
nav a { color: inherit; text-decoration: none; }
nav .title { font-weight: 600; }
main { padding: 1.5rem 2.5rem 4rem; max-width: 68rem; }
a { color: var(--accent); }
code { font: 13px/1.4 ui-monospace, monospace; background: var(--code); padding: 0 0.25em; border-radius: 3px; }
h1 small { font-weight: normal; color: var(--muted); font-size: 60%; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; }
.operation { border: 1px solid var(--line); border-radius: 8px; padding: 0.2rem 1.2rem 0.8rem; margin: 1.2rem 0; }
.operation h3 { font-size: 16px; }
.method { display: inline-block; min-width: 4.2em; text-align: center; font: 600 12px/1.6 ui-monospace, monospace; border-radius: 4px; color: #fff; background: #607089; }
.method.get { background: #2a7d4f; } .method.post { background: #2457c5; } .method.put, .method.patch { background: #9a6a00; } .method.delete { background: #b3261e; }
.status { font: 600 13px ui-monospace, monospace; } .status.s2 { color: #2a7d4f; } .status.s4 { color: #9a6a00; } .status.s5 { color: #b3261e; }
.summary { font-weight: 500; }
.required { color: #b3261e; font-size: 12px; } .optional, .muted, .constraints, .type, .headers { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; } th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 0.3rem 0.5rem; }
.fields { padding-left: 1.1rem; margin: 0.3rem 0; } .fields li { margin: 0.15rem 0; }
.facts dt { float: left; font-weight: 600; margin-right: 0.5rem; } .facts dd { margin: 0; }
.responses dt { margin-top: 0.6rem; } .responses dd { margin-left: 1.2rem; }
.media { margin: 0.3rem 0 0; }
table.errors { margin-top: 0.6rem; } table.errors td:first-child { width: 4rem; }
@media (max-width: 860px) { body { grid-template-columns: 1fr; } nav { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--line); } main { padding: 1rem; } }
`;
