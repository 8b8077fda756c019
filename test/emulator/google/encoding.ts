/**
 * How the Gmail emulator writes base64url fields. Gmail pads `raw` with `=` (lieer and Google's Python
 * sample decode it with the strict urlsafe_b64decode; gogcli#922 saw the `=`), while `body.data` and
 * attachments' `data` are reported unpadded (googleworkspace/cli#774: a 50,038-character `data`).
 * `POST /_control/google/encoding` switches either; input is accepted padded or not, as Gmail does.
 */
import type { MessagePart } from './mimeTree.ts';

export interface GmailEncoding {
  /** `raw` of messages.get?format=raw ends in `=` padding (Gmail: yes). */
  rawPadded: boolean;
  /** `payload...body.data` and attachments.get `data` end in `=` padding (Gmail: no). */
  dataPadded: boolean;
}

export const gmailEncodingDefaults = (): GmailEncoding => ({ rawPadded: true, dataPadded: false });

/** base64url of the bytes, with or without the `=` padding. */
export function base64url(bytes: Buffer, padded: boolean): string {
  const text = bytes.toString('base64url');
  return padded ? withPadding(text) : text;
}

export function withPadding(text: string): string {
  return text + '='.repeat((4 - (text.length % 4)) % 4);
}

/** A copy of a payload tree whose `body.data` values carry `=` padding (the parse cache keeps them unpadded). */
export function paddedPayload(part: MessagePart): MessagePart {
  return {
    ...part,
    body: part.body.data === undefined ? part.body : { ...part.body, data: withPadding(part.body.data) },
    ...(part.parts ? { parts: part.parts.map(paddedPayload) } : {}),
  };
}

/** Applies a control body `{padding?, rawPadding?, dataPadding?}` (booleans) to the setting. */
export function applyEncoding(setting: GmailEncoding, body: Record<string, unknown>): GmailEncoding {
  if (typeof body.padding === 'boolean') {
    setting.rawPadded = body.padding;
    setting.dataPadded = body.padding;
  }
  if (typeof body.rawPadding === 'boolean') setting.rawPadded = body.rawPadding;
  if (typeof body.dataPadding === 'boolean') setting.dataPadded = body.dataPadding;
  return setting;
}
