import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** The PEM clients trust (NODE_EXTRA_CA_CERTS); the certificate is its own CA. */
  caCertPath: string;
}

/**
 * Loads ca.pem/key.pem from dir, or creates them: one self-signed certificate
 * that is both a CA (so NODE_EXTRA_CA_CERTS accepts it as a trust anchor) and
 * valid for 127.0.0.1 and localhost (msal-node and googleapis check the SAN).
 */
export async function ensureTls(dir: string): Promise<TlsMaterial> {
  const caCertPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'key.pem');
  if (existsSync(caCertPath) && existsSync(keyPath)) {
    return { cert: readFileSync(caCertPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), caCertPath };
  }
  mkdirSync(dir, { recursive: true });
  const notBeforeDate = new Date(Date.now() - 24 * 3600_000);
  const pems = await generate([{ name: 'commonName', value: 'Outpost Emulator Test CA' }], {
    keyType: 'ec',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 3 * 365 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(caCertPath, pems.cert);
  return { cert: pems.cert, key: pems.private, caCertPath };
}
