#!/usr/bin/env node
// After `npm install`: build dist/ so `npm start` and `npm run serve` work at
// once, and say whether Electron's binary is present (it is downloaded on
// first use and cannot be where its download host is unreachable).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const electronDir = join('node_modules', 'electron');
if (existsSync(electronDir) && !existsSync(join(electronDir, 'path.txt'))) {
  console.log(
    'outpost: Electron binary not installed yet; `npm start` fetches it (needs its download host). `npm run serve` needs no Electron.',
  );
}
