// A cross-process lock built on mkdir (atomic on every file system), so two test runs that
// both find code-server missing do not install it into the same folder at once.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function holderIsAlive(lockDir) {
  try {
    const pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `task` while holding the lock `lockDir`; waits for a live holder, breaks a dead one's lock. */
export async function withLock(lockDir, task, { timeoutMs = 20 * 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock without a live owner is left over from a killed run. The pid file is written
      // right after mkdir, so give a brand-new lock a moment before judging it stale.
      await sleep(1000);
      if (!holderIsAlive(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) console.log(`[lock] waiting for another process holding ${lockDir}…`);
      announced = true;
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`);
    }
  }
  try {
    return await task();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
