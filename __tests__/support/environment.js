/**
 * Jest's node environment, made cheaper to leave. After each test file jest deep-copies the whole
 * coverage object of that file's context (jest-util's deepCyclicCopy, property by property) before
 * it sends it to the main process: for a file that runs the action in process, ~30,000 small
 * objects of statement, function and branch locations and the source maps, about an eighth of a
 * worker's time. Those maps never change once a file is instrumented, only the hit counters do;
 * so when the file's tests are done they are turned into getters, which the copy keeps as they are
 * and the worker's message to the main process reads like any other property. The data the main
 * process merges and reports is the same.
 */
import { TestEnvironment } from 'jest-environment-node';

/** The objects of a file's coverage that instrumentation fixes: all but the counters s, f and b. */
const FIXED = ['statementMap', 'fnMap', 'branchMap', 'inputSourceMap'];

const DATA = { writable: true, enumerable: true, configurable: true };

export default class NodeEnvironment extends TestEnvironment {
  handleTestEvent(event) {
    if (event.name !== 'teardown') return;
    for (const file of Object.values(this.global.__coverage__ ?? {})) {
      for (const key of FIXED) {
        const value = file[key];
        if (value === undefined) continue;
        Object.defineProperty(file, key, {
          get: () => value,
          // Merging the copy in the main process (or in this one, with --runInBand) replaces maps.
          set(merged) {
            Object.defineProperty(this, key, { value: merged, ...DATA });
          },
          enumerable: true,
          configurable: true,
        });
      }
    }
  }
}
