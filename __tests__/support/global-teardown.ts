/**
 * Jest globalTeardown: fails the run, naming them, if the tests left anything in the run's temp
 * dir (see global-setup.ts), then removes it. Every worker has finished by now, so what is there
 * stays there. tsx's own folder (`tsx-<uid>`: its compile cache and IPC pipes, made by any tsx
 * process a test spawns) is the tool's, not a test's leftover.
 */
import { readdirSync, rmSync } from 'node:fs';
import type { TempCheck } from './global-setup.js';

const TOOL_FOLDERS = /^tsx-\d+$/;

export default function globalTeardown(): void {
  const check = (globalThis as { hindsiteTempCheck?: TempCheck }).hindsiteTempCheck;
  if (!check) return;
  if (check.saved === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = check.saved;
  const left = readdirSync(check.dir).filter((name) => !TOOL_FOLDERS.test(name));
  rmSync(check.dir, { recursive: true, force: true, maxRetries: 3 });
  if (left.length > 0) {
    const message = `The tests left ${left.length} entries in the temp dir (${check.dir}, now removed): ${left.sort().join(', ')}. Make them with scratchDir() from __tests__/support/scratch.ts, or remove them in the test.`;
    // An expected failure: the message says it all, and the stack would be jest's.
    throw Object.assign(new Error(message), { stack: `Error (globalTeardown): ${message}` });
  }
}
