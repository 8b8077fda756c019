import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The spine's two rules, checked on every source file the way a reviewer
 * would, by walking the syntax tree (not grepping text, so prose in comments
 * does not count and SQL in a template literal does):
 * - SQL lives in main/db/ only: no SQL string, no prepare/pragma/transaction call, no better-sqlite3 import elsewhere;
 * - provider differences live in main/providers/ only: nothing else compares a provider name.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const SOURCE_DIRS = ['main', 'shared', 'renderer/src', 'preload', 'scripts'];

const SQL =
  /\b(SELECT\s+(DISTINCT\s+)?[\w*("]|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|INDEX|VIRTUAL|TRIGGER)\s|DROP\s+TABLE\s|PRAGMA\s+\w)/;
// exec is left out: RegExp#exec shares the name; SQL handed to db.exec is a SQL string, caught above.
const DB_CALLS = new Set(['prepare', 'pragma', 'transaction']);
const PROVIDER_NAMES = new Set(['gmail', 'microsoft', 'google', 'local']);
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

interface Finding {
  file: string;
  line: number;
  what: string;
}

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(relative(ROOT, path));
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir));
  return files;
}

function findings(file: string): { sql: Finding[]; providerChecks: Finding[] } {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const sql: Finding[] = [];
  const providerChecks: Finding[] = [];
  const at = (node: ts.Node, what: string): Finding => ({
    file,
    line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
    what: what.replace(/\s+/g, ' ').slice(0, 100),
  });
  const isProviderOperand = (node: ts.Expression) =>
    (ts.isStringLiteralLike(node) && PROVIDER_NAMES.has(node.text)) ||
    (ts.isPropertyAccessExpression(node) && node.name.text === 'provider') ||
    (ts.isIdentifier(node) && node.text === 'provider');
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) && SQL.test(node.text)) sql.push(at(node, node.text));
    if (ts.isTemplateExpression(node)) {
      const whole = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('?');
      if (SQL.test(whole)) sql.push(at(node, whole));
    }
    if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      node.moduleSpecifier.text === 'better-sqlite3'
    )
      sql.push(at(node, 'imports better-sqlite3'));
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      DB_CALLS.has(node.expression.name.text) &&
      // RegExp#exec is not SQLite's.
      !(
        node.expression.name.text === 'exec' &&
        /regex|pattern|match|\/.*\/[gimsuy]*$/i.test(node.expression.expression.getText(source))
      )
    )
      sql.push(at(node, node.getText(source)));
    if (
      ts.isBinaryExpression(node) &&
      EQUALITY.has(node.operatorToken.kind) &&
      (isProviderOperand(node.left) || isProviderOperand(node.right))
    )
      providerChecks.push(at(node, node.getText(source)));
    if (ts.isCaseClause(node) && ts.isStringLiteralLike(node.expression) && PROVIDER_NAMES.has(node.expression.text))
      providerChecks.push(at(node, `case '${node.expression.text}'`));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { sql, providerChecks };
}

describe('the spine: where things may live', () => {
  const files = sourceFiles();
  const all = files.map((file) => ({ file, ...findings(file) }));

  it('has SQL only in main/db/', () => {
    const outside = all.filter((f) => !f.file.startsWith('main/db/')).flatMap((f) => f.sql);
    expect(outside).toEqual([]);
  });

  it('compares provider names only in main/providers/', () => {
    const outside = all.filter((f) => !f.file.startsWith('main/providers/')).flatMap((f) => f.providerChecks);
    expect(outside).toEqual([]);
  });

  it('finds what it looks for (the checks can fail)', () => {
    const sample = all.find((f) => f.file === 'main/db/queries/accounts.ts');
    expect(sample?.sql.length).toBeGreaterThan(0);
    const registry = all.find((f) => f.file === 'main/providers/registry.ts');
    expect(registry?.providerChecks.length).toBeGreaterThan(0);
    expect(files.length).toBeGreaterThan(100);
  });
});
