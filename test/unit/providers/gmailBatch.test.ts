import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch } from '../../../main/providers/gmail/gmailBatch.ts';

describe('Google batch encoding', () => {
  it('encodes each sub-request as an application/http part with a Content-ID', () => {
    const { contentType, body } = encodeBatch([
      { id: 'a', method: 'GET', path: '/gmail/v1/users/me/messages/1?format=raw' },
      { id: 'b', method: 'POST', path: '/gmail/v1/users/me/messages/2/modify', body: { addLabelIds: ['STARRED'] } },
    ]);
    const boundary = /boundary=(\S+)/.exec(contentType)?.[1];
    expect(
      body.startsWith(
        `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <a>\r\n\r\nGET /gmail/v1/users/me/messages/1?format=raw HTTP/1.1\r\n`,
      ),
    ).toBe(true);
    expect(body).toContain('Content-Length: 27\r\n\r\n{"addLabelIds":["STARRED"]}');
    expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
  });

  it('refuses empty and oversized batches', () => {
    expect(() => encodeBatch([])).toThrow();
    expect(() =>
      encodeBatch(Array.from({ length: 101 }, (_, i) => ({ id: String(i), method: 'GET' as const, path: '/x' }))),
    ).toThrow();
  });

  it('decodes part responses by Content-ID, with their own statuses', () => {
    const response = [
      '--batch_xyz',
      'Content-Type: application/http',
      'Content-ID: <response-a>',
      '',
      'HTTP/1.1 200 OK',
      'Content-Type: application/json; charset=UTF-8',
      '',
      '{"id":"1","raw":"aGk"}',
      '--batch_xyz',
      'Content-Type: application/http',
      'Content-ID: <response-b>',
      '',
      'HTTP/1.1 429 Too Many Requests',
      'Content-Type: application/json',
      '',
      '{"error":{"code":429}}',
      '--batch_xyz--',
      '',
    ].join('\r\n');
    const parts = decodeBatch('multipart/mixed; boundary=batch_xyz', response);
    expect(parts.get('a')).toMatchObject({ status: 200, body: '{"id":"1","raw":"aGk"}' });
    expect(parts.get('a')?.headers['content-type']).toContain('application/json');
    expect(parts.get('b')).toMatchObject({ status: 429 });
  });

  it('rejects a response without a boundary', () => {
    expect(() => decodeBatch('application/json', '{}')).toThrow(/boundary/);
  });
});
