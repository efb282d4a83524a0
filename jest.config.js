import { availableParallelism } from 'node:os';

/** @type {import('jest').Config} */
export default {
  // jest's node environment, with coverage that is cheap to hand back (see the file).
  testEnvironment: '<rootDir>/__tests__/support/environment.js',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  resolver: 'ts-jest-resolver',
  // esbuild strips the types, and the same file adds the coverage with jest's babel-plugin-istanbul
  // (cheaper than leaving that to jest: see the file).
  transform: { '^.+\\.ts$': '<rootDir>/__tests__/support/transform.js' },
  collectCoverage: true,
  collectCoverageFrom: ['src/**/*.ts', '!src/index.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  coverageThreshold: { global: { statements: 96, branches: 90, lines: 97 } },
  testTimeout: 30000,
  // Jest's transform cache with the project's other caches, not in the shared temp dir.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  // Each test file removes the temp folders its tests made (support/cleanup.ts); the whole run gets
  // a temp dir of its own and fails if anything is left in it (support/global-*.ts).
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/cleanup.ts'],
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  // The slowest files first, also on a fresh clone, when jest has no timings of its own.
  testSequencer: '<rootDir>/__tests__/support/sequencer.js',
  // Half as many workers again as cores (three on two): much of the suite waits (on real
  // deadlines, on the bundle and git processes it spawns, on loopback I/O), and with one worker
  // per core a core sits idle while its worker waits. Jest's default (cores - 1) would run it in a
  // single worker on these 2-core machines; jest reads "150%" as 150 workers.
  maxWorkers: Math.ceil(availableParallelism() * 1.5),
};
