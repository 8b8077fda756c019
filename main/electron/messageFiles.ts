import { readFile, stat } from 'node:fs/promises';

/** The core's limit for one message file (POST /v1/email/import). */
const MAX_MESSAGE_FILE_BYTES = 50 * 1024 * 1024;

/** Message files among a launch's arguments (Windows and Linux pass a file opened with Outpost on the command line). */
export function messageFileArguments(argv: readonly string[]): string[] {
  return argv.filter((arg) => !arg.startsWith('-') && /\.eml$/i.test(arg));
}

export interface CoreAddress {
  baseUrl: string;
  sessionToken: string;
}

/**
 * Puts an opened .eml file into the index through the core's API (as a
 * script would) and returns the thread to show. Errors say what went wrong in
 * words for a dialog.
 */
export async function importMessageFile(path: string, core: CoreAddress, fetchFn: typeof fetch = fetch): Promise<string> {
  let bytes: Buffer;
  try {
    if ((await stat(path)).size > MAX_MESSAGE_FILE_BYTES) throw new Error('it is larger than 50 MB');
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT' ? 'the file does not exist' : code ? `it cannot be read (${code})` : (error as Error).message,
    );
  }
  const response = await fetchFn(`${core.baseUrl}/v1/email/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${core.sessionToken}`, 'content-type': 'message/rfc822' },
    body: new Uint8Array(bytes),
  });
  const body = (await response.json().catch(() => null)) as { data?: { thread_id?: string }; message?: string } | null;
  if (!response.ok || !body?.data?.thread_id) throw new Error(body?.message ?? `the core answered ${response.status}`);
  return body.data.thread_id;
}
