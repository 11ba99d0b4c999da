import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export class AlreadyRunningError extends Error {
  override name = 'AlreadyRunningError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Embedded PostgreSQL (PGlite) allows one process per data folder, and a second `npm run dev` would
 * otherwise just move to free ports and open the same folder. One pid file per data folder says
 * whether another run is using it; a file left by a run that died is taken over.
 */
export function claimDataDir(lockDir: string, dataDir: string): () => void {
  const file = path.join(lockDir, `dev-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}.pid`);
  let other: number | undefined;
  try {
    other = Number(readFileSync(file, 'utf8').trim());
  } catch {
    other = undefined;
  }
  if (other && other !== process.pid && isAlive(other)) {
    throw new AlreadyRunningError(
      `npm run dev is already running on ${dataDir} (process ${other}): stop it first, or give this run its own DATA_DIR (and ports).`,
    );
  }
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
    } catch {
      // Already gone.
    }
  };
}
