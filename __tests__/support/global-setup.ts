/**
 * Jest globalSetup: the whole run gets a temp dir of its own (TMPDIR, which os.tmpdir() reads and
 * the workers and the processes they spawn inherit), so that global-teardown.ts can tell whether
 * the tests left anything in it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempCheck {
  dir: string;
  /** TMPDIR as it was before the run (undefined: unset). */
  saved: string | undefined;
}

export default function globalSetup(): void {
  const check: TempCheck = {
    dir: mkdtempSync(join(tmpdir(), 'hindsite-tests-')),
    saved: process.env['TMPDIR'],
  };
  // Read by global-teardown.ts, which jest runs in this same process.
  (globalThis as { hindsiteTempCheck?: TempCheck }).hindsiteTempCheck = check;
  process.env['TMPDIR'] = check.dir;
}
