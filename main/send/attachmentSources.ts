import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { OutpostError } from '../core/outpostError.ts';

/** A storage_path that may not be read: a validation error. */
export class AttachmentPathError extends OutpostError {
  constructor(message: string) {
    super('validation_error', message);
  }
}

/**
 * Resolves an attachment's storage_path inside the folders Outpost may read
 * attachments from. The real path (symlinks followed) must stay inside an
 * allowed root, so "../", absolute paths elsewhere and links pointing out all
 * fail — a local script cannot make Outpost mail /etc/passwd or ~/.ssh keys.
 */
export function resolveAttachmentPath(storagePath: string, allowedRoots: readonly string[], maxBytes: number): string {
  if (storagePath.includes('\0')) throw new AttachmentPathError('storage_path contains a NUL byte');
  for (const root of allowedRoots) {
    let realRoot: string;
    try {
      realRoot = realpathSync(root);
    } catch {
      continue;
    }
    const candidate = isAbsolute(storagePath) ? storagePath : resolve(realRoot, storagePath);
    let real: string;
    try {
      real = realpathSync(candidate);
    } catch {
      continue;
    }
    const inside = relative(realRoot, real);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) continue;
    const stats = statSync(real);
    if (!stats.isFile()) throw new AttachmentPathError(`storage_path ${storagePath} is not a file`);
    if (stats.size > maxBytes) throw new AttachmentPathError(`storage_path ${storagePath} is larger than ${maxBytes} bytes`);
    return real;
  }
  throw new AttachmentPathError(`storage_path ${storagePath} is not a file inside the allowed attachment folders`);
}
