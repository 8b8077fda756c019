#!/usr/bin/env node
// Runs the tests with the clock moved: `npm run test:clock -- 2030-06-01 [vitest args]`.
// Every process of the run (vitest, its workers, the emulator, `outpost serve`,
// Chromium) sees the moved clock, which then runs on normally: libfaketime is
// preloaded with an offset (not a fixed start time), so processes started later
// agree with those started earlier. The first argument is a date or an ISO
// instant (2027-01-02, 2026-12-31T23:59:30Z); the rest go to `vitest run`.
// Needs libfaketime (Debian/Ubuntu: apt-get install -y faketime).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const [when, ...vitestArgs] = process.argv.slice(2);
const target = when === undefined ? Number.NaN : Date.parse(when);
if (Number.isNaN(target)) {
  console.error('usage: npm run test:clock -- DATE [vitest arguments]   (DATE: 2030-06-01 or an ISO instant)');
  process.exit(2);
}

const LIBRARY_PATHS = [
  process.env.OUTPOST_FAKETIME_LIB,
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/faketime/libfaketimeMT.so.1',
  '/usr/local/lib/faketime/libfaketimeMT.so.1',
];
const library = LIBRARY_PATHS.find((path) => path !== undefined && existsSync(path));
if (library === undefined) {
  console.error('test:clock: libfaketime not found (apt-get install -y faketime, or set OUTPOST_FAKETIME_LIB)');
  process.exit(2);
}

// Rounded up, so the run starts at the date given (a second after at most), never the day before.
const offsetSeconds = Math.ceil((target - Date.now()) / 1000);
const env = {
  ...process.env,
  LD_PRELOAD: [library, process.env.LD_PRELOAD].filter(Boolean).join(':'),
  FAKETIME: `${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds}`,
};
// The monotonic clock moves by the same offset, so durations and timers are unchanged. (Leaving it
// alone with FAKETIME_DONT_FAKE_MONOTONIC=1 hangs Chromium: its timed waits mix the two clocks.)
delete env.FAKETIME_DONT_FAKE_MONOTONIC;

// The preload must really move Node's clock (it does not where LD_PRELOAD is ignored).
const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))'], { env, encoding: 'utf8' });
const seen = Number(probe.stdout);
if (!(Math.abs(seen - target) < 60_000)) {
  console.error(`test:clock: the clock did not move (a child process saw ${probe.stdout || probe.stderr})`);
  process.exit(1);
}
console.log(`test:clock: clock moved to ${new Date(seen).toISOString()} (offset ${env.FAKETIME} s, ${library})`);

const vitest = join(import.meta.dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(process.execPath, [vitest, 'run', ...vitestArgs], { env, stdio: 'inherit' });
process.exit(run.status ?? 1);
