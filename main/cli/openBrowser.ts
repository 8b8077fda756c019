import { spawn } from 'node:child_process';

/** Prints the URL and tries the platform's browser opener; a headless machine just uses the printed URL. */
export async function openSystemBrowser(url: string): Promise<void> {
  process.stderr.write(`Open this URL to sign in:\n  ${url}\n`);
  const [command, ...args] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : ['xdg-open', url];
  try {
    const child = spawn(command as string, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {}); // no opener installed: the printed URL is enough
    child.unref();
  } catch {
    // same
  }
}
