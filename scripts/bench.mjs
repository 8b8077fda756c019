#!/usr/bin/env node
// Runs every benchmark in test/bench/ (*.bench.ts | *.bench.mjs), one at a
// time so they do not compete for the two cores, with Node's type stripping.
// `npm run bench -- NAME` runs only the files whose name contains NAME.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const benchDir = join(import.meta.dirname, '..', 'test', 'bench');
const filter = process.argv[2] ?? '';
const files = readdirSync(benchDir)
  .filter((name) => /\.bench\.(ts|mjs)$/.test(name) && name.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`bench: no benchmark matches "${filter}"`);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', join(benchDir, file)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
