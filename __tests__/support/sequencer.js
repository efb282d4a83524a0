/**
 * The order test files start in: the slowest first, so that the workers finish together rather
 * than one waiting on a long file that started last. Jest does this with the durations it recorded
 * in its cache; with none (a fresh clone, CI) it goes by file size, which put a small file that
 * waits seconds of real time (the bundle's deadlines) at the very end. Files jest has no time for
 * take the time below, measured on a 2-core machine; any other such file counts as quick.
 */
import { basename } from 'node:path';
import TestSequencer from '@jest/test-sequencer';

/** Seconds per file, rounded: the files over about half a second. Refresh with `jest --json`. */
const EXPECTED_SECONDS = {
  'bundle-deadlines.e2e.test.ts': 5,
  'plan-approval.e2e.test.ts': 4,
  'selection-check.test.ts': 3.5,
  'release.test.ts': 3,
  'discovery-timeout.e2e.test.ts': 2.7,
  'hostile.e2e.test.ts': 2.6,
  'accounting.e2e.test.ts': 2.1,
  'client.test.ts': 2,
  'sandbox.test.ts': 1.9,
  'plan-apply.e2e.test.ts': 1.9,
  'memory.e2e.test.ts': 1.8,
  'recovery.e2e.test.ts': 1.8,
  'checkpoint.e2e.test.ts': 1.5,
  'faults.e2e.test.ts': 1.5,
  'created-at-shape.test.ts': 1.1,
  'fresh-check-deadline.e2e.test.ts': 1.1,
  'scale.e2e.test.ts': 1.1,
  'contract.test.ts': 1.1,
  'transport.test.ts': 1.1,
  'bundle.e2e.test.ts': 1.1,
  'sandbox-cli.test.ts': 1,
  'selection.e2e.test.ts': 1,
};

const Sequencer = TestSequencer.default ?? TestSequencer;

export default class SlowestFirst extends Sequencer {
  sort(tests) {
    const size = new Map(tests.map((test) => [test, test.context.hasteFS.getSize(test.path) ?? 0]));
    for (const test of tests) {
      test.duration = this.time(test) ?? (EXPECTED_SECONDS[basename(test.path)] ?? 0) * 1000;
    }
    return tests.sort(
      (a, b) =>
        Number(this.hasFailed(b)) - Number(this.hasFailed(a)) ||
        b.duration - a.duration ||
        size.get(b) - size.get(a),
    );
  }
}
