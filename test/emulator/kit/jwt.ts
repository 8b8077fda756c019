/**
 * RS256 JSON Web Tokens for the emulated identity providers (Google's and Microsoft's id_tokens):
 * one RSA key per signer, made on first use, published as a JWKS and as an X.509 certificate (the
 * PEM map Google's oauth2/v1/certs serves and google-auth-library verifies with).
 */
import { createHash, createSign, generateKeyPairSync, type KeyObject, verify } from 'node:crypto';
import { generate } from 'selfsigned';

interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

export class JwtSigner {
  private key: SigningKey | undefined;
  private certificate: Promise<string> | undefined;

  private signingKey(): SigningKey {
    if (!this.key) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const kid = createHash('sha256')
        .update(publicKey.export({ format: 'der', type: 'spki' }))
        .digest('base64url')
        .slice(0, 27);
      this.key = { privateKey, publicKey, kid };
    }
    return this.key;
  }

  get kid(): string {
    return this.signingKey().kid;
  }

  /** The public key as a JWK (kid, use sig). */
  jwk(): Record<string, unknown> {
    const { publicKey, kid } = this.signingKey();
    return { ...publicKey.export({ format: 'jwk' }), kid, kty: 'RSA', use: 'sig' };
  }

  /** A self-signed X.509 certificate of the public key, in PEM. */
  certificatePem(subject: string): Promise<string> {
    this.certificate ??= (async () => {
      const { privateKey, publicKey } = this.signingKey();
      const notBeforeDate = new Date(Date.now() - 24 * 3600_000);
      const pems = await generate([{ name: 'commonName', value: subject }], {
        keyPair: {
          privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
          publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
        },
        algorithm: 'sha256',
        notBeforeDate,
        notAfterDate: new Date(notBeforeDate.getTime() + 14 * 24 * 3600_000),
      });
      return pems.cert;
    })();
    return this.certificate;
  }

  /** header.payload.signature, RS256; claims whose value is undefined are left out. */
  sign(claims: Record<string, unknown>): string {
    const { privateKey, kid } = this.signingKey();
    const head = Buffer.from(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const sig = createSign('RSA-SHA256').update(`${head}.${payload}`).sign(privateKey).toString('base64url');
    return `${head}.${payload}.${sig}`;
  }

  /** The header and claims of a token this signer signed, or undefined when the signature or shape is wrong. */
  verify(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } | undefined {
    const [head, payload, sig, extra] = jwt.split('.');
    if (!head || !payload || !sig || extra !== undefined) return undefined;
    const { publicKey } = this.signingKey();
    if (!verify('RSA-SHA256', Buffer.from(`${head}.${payload}`), publicKey, Buffer.from(sig, 'base64url'))) return undefined;
    try {
      const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as Record<string, unknown>;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      return header.alg === 'RS256' ? { header, claims } : undefined;
    } catch {
      return undefined;
    }
  }
}

/** OpenID Connect's at_hash / c_hash for RS256: the left half of SHA-256 of the token, base64url. */
export function leftHalfHash(token: string): string {
  const digest = createHash('sha256').update(token).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
