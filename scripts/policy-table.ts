/**
 * Rewrites the README's "How calls are retried" table from src/policy.ts (a test fails when the
 * two differ): `npm run docs:policy`, then `npm run format`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderPolicyTable } from '../src/hindsite/policy.js';

const README = join(resolve(import.meta.dirname, '..'), 'README.md');
const MARKER = '<!-- retry-policy:';
const text = readFileSync(README, 'utf8');
const start = text.indexOf('\n|', text.indexOf(MARKER)) + 1;
const end = text.indexOf('\n\n', start);
if (text.indexOf(MARKER) < 0 || start <= 0 || end < 0) {
  throw new Error(`README.md has no table after ${MARKER}`);
}
writeFileSync(README, text.slice(0, start) + renderPolicyTable() + text.slice(end));
