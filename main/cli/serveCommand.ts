import { existsSync } from 'node:fs';
import { createSession } from '../api/auth/sessions.ts';
import { startDamagedServer } from '../api/damagedServer.ts';
import { rateLimitsFromEnv } from '../api/rateLimits.ts';
import { IndexDamagedError } from '../core/indexCondition.ts';
import { appVersion, builtRendererDir } from '../core/paths.ts';
import { startCore } from '../core/startCore.ts';

export async function serveCommand(options: { dataDir: string; port: number }): Promise<void> {
  const rendererDir = builtRendererDir();
  const rateLimits = rateLimitsFromEnv();
  let core: Awaited<ReturnType<typeof startCore>>;
  try {
    core = await startCore({
      dataDir: options.dataDir,
      holder: 'outpost serve',
      port: options.port,
      version: appVersion(),
      rendererDir: existsSync(rendererDir) ? rendererDir : null,
      rateLimits,
    });
  } catch (error) {
    if (!(error instanceof IndexDamagedError)) throw error;
    return serveDamaged(options, error, existsSync(rendererDir) ? rendererDir : null);
  }
  const session = createSession(core.db, { admin: true });
  process.stdout.write(`Outpost ${appVersion()} serving ${options.dataDir}\n`);
  process.stdout.write(`API: ${core.baseUrl}/v1\n`);
  // The fragment never leaves the browser, so the token is not in any request line or log.
  process.stdout.write(`UI: ${core.baseUrl}/#session=${session.token}\n`);
  if (!existsSync(rendererDir)) process.stdout.write('(UI not built: run npm run build)\n');

  await untilStopped();
  await core.close();
}

/** A damaged index: said in one line, then only health and the UI (its banner) are served until stopped. */
async function serveDamaged(
  options: { dataDir: string; port: number },
  error: IndexDamagedError,
  rendererDir: string | null,
): Promise<void> {
  process.stderr.write(`outpost: ${error.message}\n`);
  const server = await startDamagedServer({ ...options, version: appVersion(), rendererDir, damage: error.damage });
  process.stdout.write(`Outpost ${appVersion()} serving ${options.dataDir} (index damaged: nothing is read or written)\n`);
  process.stdout.write(`API: ${server.baseUrl}/v1\n`);
  process.stdout.write(`UI: ${server.baseUrl}/\n`);
  await untilStopped();
  await server.close();
}

function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
