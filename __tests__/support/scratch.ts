import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Folders made by scratchDir() that the cleanup has not taken yet. */
const made: string[] = [];

/**
 * A fresh folder in the temp dir for a test's own files (an IDs file, a FIFO, a plan to tamper
 * with). `support/cleanup.ts` removes it after the test that made it, or after the test file when
 * it was made outside a test (at module level or in beforeAll).
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** The folders made since the last call, now the caller's to remove. */
export function takeScratchDirs(): string[] {
  return made.splice(0);
}
