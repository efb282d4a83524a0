import type { Logger } from '../../src/model/log.js';

/**
 * The one fake Logger of the tests: it keeps what was logged. `lines` holds info and warning lines
 * in the order they were logged (what a reader of the runner's log sees), `warnings` the warnings
 * alone, `debugLines` the debug lines and `groups` the titles of folded groups. Its methods are
 * bound, so code under test may pass them around on their own.
 */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  readonly warnings: string[] = [];
  readonly debugLines: string[] = [];
  readonly groups: string[] = [];

  readonly info = (message: string): void => {
    this.lines.push(message);
  };

  readonly warning = (message: string): void => {
    this.lines.push(message);
    this.warnings.push(message);
  };

  readonly debug = (message: string): void => {
    this.debugLines.push(message);
  };

  readonly group = <T>(title: string, work: () => Promise<T>): Promise<T> => {
    this.groups.push(title);
    return work();
  };

  /** Forgets everything logged so far. */
  clear(): void {
    for (const list of [this.lines, this.warnings, this.debugLines, this.groups]) list.length = 0;
  }
}
