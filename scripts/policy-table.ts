/**
 * Rewrites the "How calls are retried" table of docs/failures.md from src/policy.ts (a test fails
 * when the two differ): `npm run docs:policy`, which also formats the file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderPolicyTable } from '../src/hindsite/policy.js';

export const POLICY_FILE = 'docs/failures.md';
export const POLICY_MARKER = '<!-- retry-policy:';

const file = join(resolve(import.meta.dirname, '..'), POLICY_FILE);
const text = readFileSync(file, 'utf8');
const start = text.indexOf('\n|', text.indexOf(POLICY_MARKER)) + 1;
const end = text.indexOf('\n\n', start);
if (text.indexOf(POLICY_MARKER) < 0 || start <= 0 || end < 0) {
  throw new Error(`${POLICY_FILE} has no table after ${POLICY_MARKER}`);
}
writeFileSync(file, text.slice(0, start) + renderPolicyTable() + text.slice(end));
