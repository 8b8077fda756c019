import { createSession } from '../api/auth/sessions.ts';
import { openIndexForWriting } from '../core/indexAccess.ts';

/** Prints a new session token (for the authjs.session-token cookie or a Bearer header). */
export function sessionCreateCommand(options: { dataDir: string; admin: boolean }): void {
  const db = openIndexForWriting(options.dataDir);
  try {
    const session = createSession(db, { admin: options.admin });
    process.stdout.write(`${session.token}\n`);
  } finally {
    db.close();
  }
}
