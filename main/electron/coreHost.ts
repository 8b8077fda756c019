// Runs inside Electron's utility process (utilityProcess.fork): the core,
// off the main thread, talking to the Electron main over parentPort. The
// vault key arrives in the first message (never on the command line, where
// other local users could read it).
import { createSession } from '../api/auth/sessions.ts';
import { appVersion, builtRendererDir } from '../core/paths.ts';
import { startCore } from '../core/startCore.ts';

export type CoreHostRequest = { type: 'start'; dataDir: string; vaultKeyBase64: string } | { type: 'shutdown' };

export type CoreHostMessage = { type: 'ready'; baseUrl: string; sessionToken: string } | { type: 'failed'; message: string };

const parentPort = process.parentPort;
let shutdown: (() => Promise<void>) | null = null;

parentPort.on('message', (event: { data: CoreHostRequest }) => {
  const request = event.data;
  if (request.type === 'start' && !shutdown) {
    start(request).catch((error: Error) => {
      parentPort.postMessage({ type: 'failed', message: error.message } satisfies CoreHostMessage);
      process.exit(1);
    });
  } else if (request.type === 'shutdown') {
    void (shutdown ?? (async () => {}))().then(() => process.exit(0));
  }
});

async function start(request: Extract<CoreHostRequest, { type: 'start' }>): Promise<void> {
  const core = await startCore({
    dataDir: request.dataDir,
    port: 0,
    version: appVersion(),
    rendererDir: builtRendererDir(),
    vaultKey: Buffer.from(request.vaultKeyBase64, 'base64'),
  });
  shutdown = () => core.close();
  const session = createSession(core.db, { admin: true });
  parentPort.postMessage({ type: 'ready', baseUrl: core.baseUrl, sessionToken: session.token } satisfies CoreHostMessage);
}
