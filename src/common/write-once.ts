import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, rmSync, statSync, writeFileSync } from 'node:fs';

/**
 * Creates `file` with `data` unless it exists, atomically. The content is written to a file of this
 * process's own, then hard-linked into place: replicas sharing a DATA_DIR that start at the same
 * instant each try, the first link wins, and nobody reads a half-written file. Returns whether this
 * call's content is the one in place; callers that must agree with the others read `file` back.
 */
export function writeOnce(file: string, data: string | Uint8Array, mode = 0o600): boolean {
  const mine = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(mine, data, { mode });
  try {
    linkSync(mine, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(mine, { force: true });
  }
}

/** Mode 0600 on a file that holds a secret, also one made wider by an older version or a copy. */
export function restrictToOwner(file: string): void {
  if ((statSync(file).mode & 0o777) !== 0o600) chmodSync(file, 0o600);
}
