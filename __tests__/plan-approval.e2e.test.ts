/**
 * Approved means approved (issue #19), as a user meets it: a plan is applied only with the digest
 * its approver passes, a plan file shows what it holds as text, and a plan of explicit IDs never
 * redelivers an ID twice, however often it is applied. The refusal without a digest and the plan
 * applied three times run the bundled action; the rest runs the same action in this process.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SandboxDelivery } from '../sandbox/index.js';
import { planDigest } from '../src/settings/plan-file.js';
import type { PlanFile } from '../src/settings/settings.js';
import {
  errorLines,
  expectAllOutputsSet,
  json,
  runBundle,
  runInProcess,
  type ActionRun,
} from './support/runner.js';
import { OTHER_ORG, useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started), { pageSize: 3 });

/** What the tests leave in the temp folder: each run's step folder, and the forged plan files. */
const made: string[] = [];
afterEach(() => {
  for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
});

/** Run attempt `attempt` of the action, in this process on the world's clock. */
async function run(inputs: Record<string, string>, attempt = 1): Promise<ActionRun> {
  const result = await runInProcess({ ...world.inputs, ...inputs }, world.clock, {
    env: { GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: String(attempt) },
  });
  made.push(dirname(result.runnerTemp));
  return result;
}

/** The same, through the bundled action as a runner starts it. */
async function runBundled(inputs: Record<string, string>, attempt = 1): Promise<ActionRun> {
  const result = await runBundle(
    { ...world.inputs, ...inputs },
    { env: { GITHUB_RUN_ATTEMPT: String(attempt) } },
  );
  made.push(dirname(result.runnerTemp));
  return result;
}

const at = (hoursAgo: number, fields: Partial<SandboxDelivery> = {}): string =>
  world.seedAt(hoursAgo, fields);
const bulkIds = (): string[] => world.bulkCalls().flatMap((call) => call.ids);

interface Planned {
  run: ActionRun;
  file: string;
  digest: string;
  plan: PlanFile;
}

/** A dry run (one page at a time); the sandbox's request log is emptied after it. */
async function plan(inputs: Record<string, string>): Promise<Planned> {
  const dry = await run({ concurrency: '1', ...inputs, 'dry-run': 'true' });
  expect(dry.code).toBe(0);
  const file = dry.outputs['plan-file'] ?? '';
  world.sandbox.requests.length = 0;
  const plan = JSON.parse(readFileSync(file, 'utf8')) as PlanFile;
  return { run: dry, file, digest: dry.outputs['plan-digest'] ?? '', plan };
}

/** The digest anyone can recompute for a plan: a plain SHA-256 of what the file holds. */
const digestOf = (plan: PlanFile): string => planDigest(plan);

/** A plan file rewritten by someone who can write the artifact, with a self-consistent digest. */
function forged(plan: PlanFile): { file: string; digest: string } {
  const digest = digestOf(plan);
  const dir = mkdtempSync(join(tmpdir(), 'forged-plan-'));
  made.push(dir);
  const file = join(dir, `hindsite-plan-${digest}.json`);
  writeFileSync(file, JSON.stringify({ ...plan, digest }));
  return { file, digest };
}

function expectRefusedBeforeAnyRequest(refused: ActionRun, message: RegExp): void {
  expect(refused.code).toBe(1);
  expect(errorLines(refused)).toEqual([expect.stringMatching(message)]);
  expect(world.sandbox.requests).toEqual([]);
  expectAllOutputsSet(refused);
}

describe('plan-file is applied only with the approved plan-digest', () => {
  it('refuses plan-file without plan-digest before any request, even for a self-consistent plan', async () => {
    const approved = await plan({ 'delivery-ids': world.seed(2).join() });
    // Three deliveries nobody approved, in a plan made "now" with a digest that matches it.
    const others = world.seed(3);
    const rewritten = forged({
      ...approved.plan,
      createdAt: new Date().toISOString(),
      deliveries: others.map((id) => ({ ...approved.plan.deliveries[0]!, id })),
    });
    const refused = await runBundled({ 'plan-file': rewritten.file });
    expectRefusedBeforeAnyRequest(
      refused,
      /^::error::Input plan-digest is required with plan-file: pass the plan-digest output of the dry run that was approved\b/,
    );
    expect(refused.outputs['created-count']).toBe('0');
    expect(bulkIds()).toEqual([]);

    // The genuine plan, too: its own digest proves nothing about who approved it.
    expectRefusedBeforeAnyRequest(
      await runBundled({ 'plan-file': approved.file }),
      /^::error::Input plan-digest is required with plan-file/,
    );
  });
});

describe('a plan file is shown as text', () => {
  it('refuses a createdAt in any other form than the one the action writes', async () => {
    const approved = await plan({ 'delivery-ids': world.seed(1).join() });
    const now = new Date();
    const hostile = `${now.toUTCString()} (**Approved by @security-lead** ![ok](https://evil.example/ok.png))`;
    for (const createdAt of [
      hostile,
      now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      now.toISOString().replace('Z', '+00:00'),
      // The right shape, but no such day: it does not read back as itself.
      `${now.getUTCFullYear()}-02-30T00:00:00.000Z`,
    ]) {
      const rewritten = forged({ ...approved.plan, createdAt });
      const refused = await run({ 'plan-file': rewritten.file, 'plan-digest': rewritten.digest });
      expectRefusedBeforeAnyRequest(
        refused,
        /^::error::Input plan-file is not a valid plan: "createdAt" must be a date-time as a dry run writes it \(YYYY-MM-DDTHH:mm:ss\.sssZ\)/,
      );
      expect(refused.summary).not.toContain('**Approved');
      expect(refused.summary).not.toContain('![ok]');
      expect(refused.summary).not.toContain('](https://evil.example');
    }
  });

  it('shows webhook IDs, events, actions and states of a plan as text, not markup', async () => {
    const ids = [at(3), at(2)];
    const approved = await plan({ 'delivery-ids': ids.join() });
    const markup = '**Approved** ![ok](https://evil.example/ok.png) <img src=x> [x](y)';
    const [first, second] = approved.plan.deliveries as [
      PlanFile['deliveries'][0],
      PlanFile['deliveries'][0],
    ];
    // The first planned delivery is made unrecognisable (so it is skipped and shown in the skipped
    // table); the second keeps its event, with a hostile event action (so it is planned again).
    const rewritten = forged({
      ...approved.plan,
      deliveries: [
        { ...first, eventId: `${markup} e`, webhookId: `${markup} w`, state: `${markup} s` },
        { ...second, eventAction: markup },
      ],
    });
    const replanned = await run({
      'plan-file': rewritten.file,
      'plan-digest': rewritten.digest,
      'dry-run': 'true',
    });
    expect(replanned.code).toBe(0);
    expect(json(replanned.outputs['selected-ids'])).toEqual([second.id]);
    expect(replanned.outputs['skipped-count']).toBe('1');
    for (const raw of ['**Approved**', '![ok]', '<img', '[x](y)']) {
      expect([raw, replanned.summary.includes(raw)]).toEqual([raw, false]);
    }
    expect(replanned.summary).toContain(
      '\\*\\*Approved\\*\\* \\!\\[ok\\]\\(https://evil.example/ok.png\\) &lt;img src=x&gt;',
    );
    expect(bulkIds()).toEqual([]);
  });
});

describe('a plan of explicit IDs is applied at most once per ID', () => {
  it('applied three times (a second apply, "Re-run jobs"), redelivers each ID once', async () => {
    const ids = [at(3), at(2), at(1)];
    const approved = await plan({ 'delivery-ids': ids.join() });
    const apply = { 'plan-file': approved.file, 'plan-digest': approved.digest };

    const first = await runBundled(apply);
    expect(first.code).toBe(0);
    expect(first.outputs['created-count']).toBe('3');
    // "Re-run jobs": the same artifact, digest and GITHUB_RUN_ID, the next attempt.
    const second = await runBundled(apply, 2);
    const third = await runBundled(apply, 3);
    for (const again of [second, third]) {
      expect(again.code).toBe(0);
      expect(again.outputs['created-count']).toBe('0');
      expect(again.outputs['skipped-count']).toBe('3');
      expect(again.summary).toContain('#### Skipped: changed since the plan (3)');
    }
    expect(bulkIds()).toEqual(ids);
  });

  it('after an apply that sent nothing (a 403, a fault before HINDSITE acted), sends them', async () => {
    const ids = [at(3), at(2)];
    const approved = await plan({ 'delivery-ids': ids.join() });
    const apply = { 'plan-file': approved.file, 'plan-digest': approved.digest };

    world.sandbox.inject({ route: 'bulk', status: 403 });
    const forbidden = await run(apply);
    expect(forbidden.code).toBe(1);
    expect(json(forbidden.outputs['refused-ids'])).toEqual(ids);

    world.sandbox.inject({ route: 'bulk', status: 500, times: Infinity });
    const faulted = await run({ ...apply, 'max-attempts': '1' }, 2);
    expect(faulted.code).toBe(1);
    world.sandbox.clearFaults();

    const rerun = await run(apply, 3);
    expect(rerun.code).toBe(0);
    expect(rerun.outputs['created-count']).toBe('2');
    expect(rerun.outputs['skipped-count']).toBe('0');
    expect(bulkIds()).toEqual([...ids, ...ids, ...ids]);
    expect(world.sandbox.deliveries().filter((row) => row.redeliveryOf)).toHaveLength(2);
  });

  it('after an apply whose outcome was unknown, sends only what HINDSITE did not act on', async () => {
    const ids = [at(3), at(2)];
    const approved = await plan({ 'delivery-ids': ids.join() });
    const apply = { 'plan-file': approved.file, 'plan-digest': approved.digest };
    // HINDSITE acts on the first batch and the reply is lost; the run stops before the second.
    world.sandbox.inject({ route: 'bulk', status: 502, afterHandling: true });
    const lost = await run({ ...apply, 'batch-size': '1', concurrency: '1' });
    expect(lost.code).toBe(1);
    expect(json(lost.outputs['outcome-unknown-ids'])).toEqual([ids[0]]);
    expect(json(lost.outputs['unsent-ids'])).toEqual([ids[1]]);
    world.sandbox.requests.length = 0;

    const rerun = await run(apply, 2);
    expect(rerun.code).toBe(0);
    expect(bulkIds()).toEqual([ids[1]]);
    expect(rerun.outputs['skipped-count']).toBe('1');
  });

  it('leaves out of the plan IDs it cannot find, says which and why, and never sends them', async () => {
    const ids = [at(3), at(2)];
    const foreign = world.sandbox.seedDelivery({ organisationId: OTHER_ORG, state: 'errored' }).id;
    const approved = await plan({ 'delivery-ids': [ids[0], 'dlv_nosuch', foreign, ids[1]].join() });
    expect(approved.plan.deliveries.map((delivery) => delivery.id)).toEqual(ids);
    expect(json(approved.run.outputs['selected-ids'])).toEqual(ids);
    expect(approved.run.stdout).toContain(
      `::warning::2 deliveries were left out of the plan, so no approval covers them and applying never sends them: 2 not found in the list of deliveries (unknown, or another organisation's): dlv_nosuch, ${foreign}.`,
    );
    expect(approved.run.summary).toContain('#### Not planned (2)');
    expect(approved.run.summary).toContain(
      "| dlv_nosuch | not found: unknown, or another organisation's | — | — |",
    );

    const applied = await run({ 'plan-file': approved.file, 'plan-digest': approved.digest });
    expect(applied.code).toBe(0);
    expect(bulkIds()).toEqual(ids);
    expect(world.sandbox.delivery(foreign)?.state).toBe('errored');
  });

  it('does not plan an ID whose event already has a newer delivery, and names that one', async () => {
    const original = at(3, { eventId: 'evt_done_before' });
    const newer = at(1, { eventId: 'evt_done_before', state: 'completed' });
    const kept = at(2);
    const approved = await plan({ 'delivery-ids': [original, kept].join() });
    expect(approved.plan.deliveries.map((delivery) => delivery.id)).toEqual([kept]);
    expect(approved.run.summary).toContain(
      `| ${original} | not the newest delivery of its event | ${newer} | completed |`,
    );
  });

  it('says in the plan review what applying twice does', async () => {
    const approved = await plan({ 'delivery-ids': [at(2)].join() });
    expect(approved.run.summary).toContain(
      'Applying this plan again (a second run, or "Re-run jobs") redelivers nothing that an earlier apply redelivered',
    );
  });

  it('refuses a plan made by an older build, whose explicit IDs have no known event', async () => {
    const ids = world.seed(2);
    const createdAt = new Date().toISOString();
    const apiUrl = world.inputs['api-url'] as string;
    const deliveries = ids.map((id) => [id, null, null, null]);
    const canonical = JSON.stringify([
      'hindsite-redeliver-plan/1',
      apiUrl,
      'ci-admin',
      createdAt,
      deliveries,
    ]);
    const digest = createHash('sha256').update(canonical).digest('hex');
    const dir = mkdtempSync(join(tmpdir(), 'old-plan-'));
    made.push(dir);
    const file = join(dir, 'plan.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'hindsite-redeliver-plan',
        version: 1,
        digest,
        createdAt,
        apiUrl,
        clientId: 'ci-admin',
        selection: { source: 'delivery-ids' },
        deliveries: ids.map((id) => ({
          id,
          eventId: null,
          eventAction: null,
          webhookId: null,
          createdAt: null,
          state: null,
        })),
      }),
    );
    expectRefusedBeforeAnyRequest(
      await run({ 'plan-file': file, 'plan-digest': digest }),
      /^::error::Input plan-file is a plan of an older version \(1\), whose deliveries given by ID would be sent without being checked again: this action applies plans of version 2 only; make a new plan with this version of the action and have it approved: .*plan\.json; nothing was sent\.$/,
    );
  });
});
