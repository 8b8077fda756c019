import { execFileSync } from 'node:child_process';

/** Integration and e2e tests run the real bundle (dist/), so build it once (skipped when up to date). */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
}
