import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxDelivery } from '../sandbox/index.js';
import { inProcess, type Runner } from './support/runner.js';
import { ADMIN, OTHER_ORG, useWorld, type World } from './support/world.js';
import { scratchDir } from './support/scratch.js';

const HOUR = 3_600_000;
let world: World;
useWorld((started) => (world = started), { pageSize: 3 });
const runInProcess: Runner = inProcess(() => world.clock);
const at = (hoursAgo: number, fields: Partial<SandboxDelivery> = {}): string =>
  world.seedAt(hoursAgo, fields);
const bulkIds = (): string[] => world.bulkCalls().flatMap((call) => call.ids);
const rewritten = (text: string): string => {
  const path = join(scratchDir('plan-'), 'plan.json');
  writeFileSync(path, text);
  return path;
};
async function plan(inputs: Record<string, string> = { since: '10h' }) {
  const run = await runInProcess({
    ...world.inputs,
    concurrency: '1',
    ...inputs,
    'dry-run': 'true',
  });
  expect(run.code).toBe(0);
  const file = run.outputs['plan-file'] ?? '';
  world.sandbox.requests.length = 0;
  return { file, digest: run.outputs['plan-digest'] ?? '', text: readFileSync(file, 'utf8') };
}

/**
 * What a hostile review of plan/apply found, fixed: the plan's age is bound by its digest (an
 * edited or re-made plan needs a new approval), and a plan made with an access-token is bound to
 * that token.
 */
describe('plan-max-age cannot be sidestepped', () => {
  it('refuses an expired plan whose createdAt was edited to look fresh', async () => {
    const ids = [at(3), at(2)];
    const planned = await plan();
    world.clock.advance(72 * HOUR); // three days: long expired
    const edited = planned.text.replace(
      /"createdAt":"[^"]+"/,
      `"createdAt":"${new Date(world.clock.now()).toISOString()}"`,
    );
    const run = await runInProcess({
      ...world.inputs,
      'plan-file': rewritten(edited),
      'plan-digest': planned.digest,
    });
    expect({ code: run.code, sent: bulkIds() }).toEqual({ code: 1, sent: [] });
    expect(run.stdout).toMatch(/::error::Input plan-file does not match its own digest/);
    expect(world.sandbox.requests).toHaveLength(0);
    void ids;
  });

  it('gives a plan made again a new digest, so that the old approval does not cover it', async () => {
    at(3);
    at(2);
    const first = await plan();
    world.clock.advance(23 * HOUR);
    const again = await plan({ 'plan-file': first.file, 'plan-digest': first.digest });
    expect(again.digest).not.toBe(first.digest);
    world.clock.advance(20 * HOUR); // 43 h after the approved plan was made
    const run = await runInProcess({
      ...world.inputs,
      'plan-file': again.file,
      'plan-digest': first.digest,
    });
    expect({ code: run.code, sent: bulkIds().length }).toEqual({ code: 1, sent: 0 });
    expect(run.stdout).toMatch(/::error::Input plan-digest/);
  });
});

describe('a plan made with an access-token', () => {
  it('is refused when applied with another access-token', async () => {
    world.sandbox.addClient({
      clientId: 'other-admin',
      clientSecret: 'other-secret-123',
      organisationId: OTHER_ORG,
      admin: true,
    });
    const ids = world.seed(2);
    const mine = world.sandbox.issueToken(ADMIN.clientId);
    const theirs = world.sandbox.issueToken('other-admin');
    const base = { 'api-url': world.inputs['api-url'] as string };
    const planned = await plan({
      ...base,
      'client-id': '',
      'client-secret': '',
      'access-token': mine,
      'delivery-ids': ids.join(),
    });
    const run = await runInProcess({
      ...base,
      'access-token': theirs,
      'plan-file': planned.file,
      'plan-digest': planned.digest,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::Input plan-file holds a plan made with another client ID or access-token/,
    );
    expect(world.sandbox.requests).toHaveLength(0);
    const same = await runInProcess({
      ...base,
      'access-token': mine,
      'plan-file': planned.file,
      'plan-digest': planned.digest,
    });
    expect(same.code).toBe(0);
    expect(bulkIds().sort()).toEqual([...ids].sort());
  });
});
