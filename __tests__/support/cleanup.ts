/**
 * Loaded before every test file (jest `setupFilesAfterEnv`): removes what the tests put in the
 * temp dir. The folders of steps run with runBundle, runInProcess or runBundledAction (runner
 * files, RUNNER_TEMP with its reports and plans) and scratchDir() folders are removed after the
 * test that made them, so a test may read them, or apply a plan, until it ends; those made outside
 * any test (module level, beforeAll) are removed after the file. `global-temp.ts` checks that
 * nothing is left.
 */
import { afterAll, afterEach, beforeEach } from '@jest/globals';
import { removeDirs, takeStepDirs } from '../../scripts/step.js';
import { takeScratchDirs } from './scratch.js';

const made = (): string[] => [...takeStepDirs(), ...takeScratchDirs()];
const madeOutsideTests: string[] = [];

// This file's hooks are registered before the test file's own: what exists when a test starts was
// made outside it.
beforeEach(() => {
  madeOutsideTests.push(...made());
});
afterEach(() => {
  removeDirs(made());
});
afterAll(() => {
  removeDirs([...madeOutsideTests.splice(0), ...made()]);
});
