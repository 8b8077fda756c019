import { createSession } from '../api/auth/sessions.ts';
import { indexPath } from '../core/paths.ts';
import { openIndex } from '../db/openIndex.ts';

/** Prints a new session token (for the authjs.session-token cookie or a Bearer header). */
export function sessionCreateCommand(options: { dataDir: string; admin: boolean }): void {
  const db = openIndex(indexPath(options.dataDir));
  try {
    const session = createSession(db, { admin: options.admin });
    process.stdout.write(`${session.token}\n`);
  } finally {
    db.close();
  }
}
