import { existsSync } from 'node:fs';
import { createSession } from '../api/auth/sessions.ts';
import { rateLimitsFromEnv } from '../api/rateLimits.ts';
import { appVersion, builtRendererDir } from '../core/paths.ts';
import { startCore } from '../core/startCore.ts';

export async function serveCommand(options: { dataDir: string; port: number }): Promise<void> {
  const rendererDir = builtRendererDir();
  const rateLimits = rateLimitsFromEnv();
  const core = await startCore({
    dataDir: options.dataDir,
    holder: 'outpost serve',
    port: options.port,
    version: appVersion(),
    rendererDir: existsSync(rendererDir) ? rendererDir : null,
    rateLimits,
  });
  const session = createSession(core.db, { admin: true });
  process.stdout.write(`Outpost ${appVersion()} serving ${options.dataDir}\n`);
  process.stdout.write(`API: ${core.baseUrl}/v1\n`);
  // The fragment never leaves the browser, so the token is not in any request line or log.
  process.stdout.write(`UI: ${core.baseUrl}/#session=${session.token}\n`);
  if (!existsSync(rendererDir)) process.stdout.write('(UI not built: run npm run build)\n');

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await core.close();
}
