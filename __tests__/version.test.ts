import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ACTION_VERSION } from '../src/version.js';

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('the action version', () => {
  it('is the version of package.json and package-lock.json (npm run release writes all three)', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      version: string;
      packages: Record<string, { version?: string }>;
    };
    const version = (JSON.parse(read('package.json')) as { version: string }).version;
    expect(ACTION_VERSION).toBe(version);
    expect([lock.version, lock.packages['']?.version]).toEqual([version, version]);
  });
});
