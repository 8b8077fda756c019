/** An RFC 822 message: a text part, then each file as a base64 attachment (multipart/mixed). */
export function mimeWithAttachments(message: {
  from: string;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  files: ReadonlyArray<readonly [name: string, bytes: Buffer]>;
}): string {
  return [
    `From: ${message.from}`,
    `To: ${message.to}`,
    `Subject: ${message.subject}`,
    `Message-ID: <${message.messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    message.text,
    ...message.files.flatMap(([name, bytes]) => [
      '--b1',
      `Content-Type: application/octet-stream; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      bytes.toString('base64').replace(/.{76}/g, '$&\r\n'),
    ]),
    '--b1--',
    '',
  ].join('\r\n');
}
