import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const NODE_ARGS = ['--experimental-strip-types', '--no-warnings', 'test/emulator/cli.ts'];

describe('npm run emulator', () => {
  it('refuses bad arguments with one line and a non-zero exit', () => {
    for (const args of [['--seed', 'bogus'], ['--port', '-1'], ['--what']]) {
      const res = spawnSync(process.execPath, [...NODE_ARGS, ...args], { encoding: 'utf8' });
      expect(res.status).not.toBe(0);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stdout).toBe('');
    }
  });

  it('prints one JSON line, serves HTTPS, and saves --state on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    const state = join(dir, 'state.json');
    // The test CA from the globalSetup, which this worker already trusts.
    const tlsDir = process.env.OUTPOST_TEST_TLS_DIR ?? dir;
    const child = spawn(process.execPath, [...NODE_ARGS, '--seed', 'empty', '--state', state, '--tls-dir', tlsDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
    const info = JSON.parse(line);
    expect(info.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(info.urls.google).toBe(info.baseUrl);
    expect(info.caCertPath).toBe(join(tlsDir, 'ca.pem'));
    expect(info.users).toContainEqual({ provider: 'google', email: 'alice@gmail.test' });
    expect(info.controlUrl).toBe(`${info.baseUrl}/_control`);
    const res = await fetch(`${info.controlUrl}/counters`);
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(state)).toBe(true);
    expect(JSON.parse(readFileSync(state, 'utf8')).google.mailboxes[0].email).toBe('alice@gmail.test');
  });
});
