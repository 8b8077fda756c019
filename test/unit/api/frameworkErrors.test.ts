import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { ERROR_CATALOGUE, isErrorCode } from '../../../shared/errors.ts';
import { seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes bytes on a fresh connection and reads the answer until the server closes it (what inject() cannot send). */
function rawRequest(port: number, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => (chunks.length > 0 ? undefined : reject(error)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    setTimeout(() => socket.end(), 2_000).unref();
  });
}

/**
 * Every failure, the framework's and Node's own included, answers the one
 * error shape of the catalogue with a request id: a script never has to parse
 * two kinds of error.
 */
describe('framework and protocol errors answer the catalogue shape', () => {
  const dir = makeTempDir();
  let db: WritableDb;
  let api: LocalApiHarness;
  let port: number;
  let head: string;
  beforeAll(async () => {
    db = openIndex(':memory:');
    seedAccount(db);
    api = await buildLocalApi(db, dir.path);
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    port = (api.app.server.address() as AddressInfo).port;
    // The harness's server accepts Host 127.0.0.1:7766 whatever port it listens on.
    head = `Host: 127.0.0.1:7766\r\nAuthorization: Bearer ${api.adminSession}\r\nConnection: close\r\n`;
  });
  afterAll(async () => {
    await api.app.close();
    db.close();
    dir.remove();
  });

  const expectCatalogued = (response: RawResponse, status: number, code: string) => {
    expect(response.status, response.body).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const requestId = response.headers['x-request-id'];
    expect(requestId).toMatch(/^req_[0-9a-f]{24}$/);
    const body = JSON.parse(response.body) as { code: string; message: string; request_id: string };
    expect(body).toEqual({ code, message: expect.any(String), request_id: requestId, ...pickField(body) });
    expect(isErrorCode(body.code)).toBe(true);
    expect(ERROR_CATALOGUE[body.code as keyof typeof ERROR_CATALOGUE].status).toBe(status);
    expect(body.message.length).toBeGreaterThan(0);
    return body;
  };
  const pickField = (body: object) => ('field' in body ? { field: (body as { field: unknown }).field } : {});

  it('answers a malformed percent-encoding (FST_ERR_BAD_URL) as 400 validation_error', async () => {
    const response = await rawRequest(port, `GET /v1/email/threads/%E0%A4%A HTTP/1.1\r\n${head}\r\n`);
    expectCatalogued(response, 400, 'validation_error');
  });

  it('answers a path parameter over the router limit (FST_ERR_MAX_PARAM_LENGTH) as 400 validation_error', async () => {
    const response = await rawRequest(port, `GET /v1/email/threads/thr_${'9'.repeat(200)} HTTP/1.1\r\n${head}\r\n`);
    expectCatalogued(response, 400, 'validation_error');
  });

  it('answers raw non-ASCII bytes in the path (refused by Node before routing) as 400 validation_error', async () => {
    const request = Buffer.concat([
      Buffer.from('GET /v1/email/thr'),
      Buffer.from([0xc3, 0xa9]),
      Buffer.from(`ads HTTP/1.1\r\n${head}\r\n`),
    ]);
    expectCatalogued(await rawRequest(port, request), 400, 'validation_error');
  });

  it('answers a control character in a header value as 400 validation_error', async () => {
    const response = await rawRequest(port, `GET /v1/health HTTP/1.1\r\nX-Note: a\x01b\r\n${head}\r\n`);
    expectCatalogued(response, 400, 'validation_error');
  });

  it('answers headers larger than the server takes as 431 header_too_large', async () => {
    const response = await rawRequest(port, `GET /v1/health HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n${head}\r\n`);
    expectCatalogued(response, 431, 'header_too_large');
  });

  it('answers a NUL or another control character in a query string as 400 validation_error naming the parameter', async () => {
    for (const query of ['q=a%00', 'q=a%07b', 'q=%7F']) {
      const response = await rawRequest(port, `GET /v1/email/search?${query} HTTP/1.1\r\n${head}\r\n`);
      const body = expectCatalogued(response, 400, 'validation_error');
      expect(body).toMatchObject({ field: 'q' });
    }
    // On any route: the check is not the search route's own.
    const threads = await rawRequest(port, `GET /v1/email/threads?cursor=%00 HTTP/1.1\r\n${head}\r\n`);
    expect(expectCatalogued(threads, 400, 'validation_error')).toMatchObject({ field: 'cursor' });
    // Tabs and line breaks are text (a pasted multi-line search), not refused.
    const tab = await rawRequest(port, `GET /v1/email/search?q=a%09b%0Ac HTTP/1.1\r\n${head}\r\n`);
    expect(tab.status).toBe(200);
  });

  it('answers an unknown route, a body too large and an unsupported media type in the same shape', async () => {
    expectCatalogued(await rawRequest(port, `GET /v1/nothing-here HTTP/1.1\r\n${head}\r\n`), 404, 'not_found');
    const large = 'x'.repeat(1024 * 1024 + 10);
    expectCatalogued(
      await rawRequest(
        port,
        `POST /v1/email/sync HTTP/1.1\r\n${head}Content-Type: application/json\r\nContent-Length: ${large.length}\r\n\r\n${large}`,
      ),
      413,
      'payload_too_large',
    );
    expectCatalogued(
      await rawRequest(
        port,
        `POST /v1/email/sync HTTP/1.1\r\n${head}Content-Type: application/xml\r\nContent-Length: 4\r\n\r\n<a/>`,
      ),
      415,
      'unsupported_media_type',
    );
  });
});
