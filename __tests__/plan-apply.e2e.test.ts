/**
 * Plan, approve, apply, as a user runs it: a dry run writes a plan, a later run applies exactly
 * that plan or refuses it before any request. In process on the world's virtual clock (a plan
 * expires without waiting), and once with the bundle as a runner spawns it.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxDelivery } from '../sandbox/index.js';
import {
  errorLines,
  expectAllOutputsSet,
  expectNoSecretLeaks,
  inProcess,
  json,
  runBundle,
  runInProcess as runInProcessWith,
  type ActionRun,
  type Runner,
} from './support/runner.js';
import { ADMIN, useWorld, VIEWER, type World } from './support/world.js';
import { scratchDir } from './support/scratch.js';

const HOUR = 3_600_000;
let world: World;
useWorld((started) => (world = started), { pageSize: 3 });
const runInProcess: Runner = inProcess(() => world.clock);

const at = (hoursAgo: number, fields: Partial<SandboxDelivery> = {}): string =>
  world.seedAt(hoursAgo, fields);
const bulkIds = (): string[] => world.bulkCalls().flatMap((call) => call.ids);

interface Planned {
  run: ActionRun;
  file: string;
  digest: string;
  text: string;
}

/**
 * A dry run that discovers what errored in the last 10 hours; the request log is emptied after it.
 * One page at a time, so that no page read ahead arrives after the log is emptied.
 */
async function plan(
  inputs: Record<string, string> = { since: '10h' },
  runner: Runner = runInProcess,
): Promise<Planned> {
  const run = await runner({ ...world.inputs, concurrency: '1', ...inputs, 'dry-run': 'true' });
  expect(run.code).toBe(0);
  const file = run.outputs['plan-file'] ?? '';
  world.sandbox.requests.length = 0;
  return { run, file, digest: run.outputs['plan-digest'] ?? '', text: readFileSync(file, 'utf8') };
}

function expectRefusedBeforeAnyRequest(run: ActionRun, message: RegExp): void {
  expect(run.code).toBe(1);
  expect(errorLines(run)).toEqual([expect.stringMatching(message)]);
  expect(world.sandbox.requests).toEqual([]);
  expect(run.outputs['created-count']).toBe('0');
  expectAllOutputsSet(run);
}

describe('plan, approve, apply', () => {
  it('plans in a dry run: a private plan file, its digest, and a summary to review', async () => {
    const ids = [
      at(9, { webhookId: 'wh_orders', eventAction: 'form_completed' }),
      at(5, { webhookId: 'wh_reports', eventAction: 'report_export_completed' }),
      at(2, { webhookId: 'wh_orders', eventAction: 'form_completed' }),
    ];
    at(3, { state: 'completed' });
    const { run, file, digest, text } = await plan();

    expect(file.startsWith(run.runnerTemp)).toBe(true);
    expect(file.endsWith(`hindsite-plan-${digest}.json`)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    const written = JSON.parse(text) as Record<string, unknown>;
    expect(written).toMatchObject({
      format: 'hindsite-redeliver-plan',
      version: 2,
      digest,
      apiUrl: world.inputs['api-url'],
      clientId: ADMIN.clientId,
      selection: { source: 'discovery', sinceInput: '10h', state: 'errored' },
      createdAt: new Date(world.clock.now()).toISOString(),
    });
    expect(written['deliveries']).toEqual(
      ids.map((id) =>
        expect.objectContaining({ id, state: 'errored', eventId: expect.any(String) }),
      ),
    );
    expectNoSecretLeaks(run, [ADMIN.clientSecret]);
    expect(text).not.toContain(ADMIN.clientSecret);

    expect(run.summary).toContain('### Plan for approval');
    expect(run.summary).toContain(`**Plan digest** (\`plan-digest\`): \`${digest}\``);
    expect(run.summary).toContain('| Deliveries planned | 3 |');
    expect(run.summary).toMatch(/\| wh_orders \| 2 \|\n\| wh_reports \| 1 \|/);
    expect(run.summary).toMatch(/\| form_completed \| 2 \|\n\| report_export_completed \| 1 \|/);
    expect(run.summary).toContain(
      `| Events from | ${new Date(world.clock.now() - 9 * HOUR).toISOString()} |`,
    );
    expect(run.summary).toContain(
      `| Events to | ${new Date(world.clock.now() - 2 * HOUR).toISOString()} |`,
    );
    expect(run.summary).toContain('### Would be redelivered');
  });

  it('fails a dry run whose plan cannot be written, and names no plan', async () => {
    at(2);
    const notADirectory = join(scratchDir('plan-'), 'file');
    writeFileSync(notADirectory, '');
    const run = await runInProcessWith(
      { ...world.inputs, since: '3h', 'dry-run': 'true' },
      world.clock,
      { env: { RUNNER_TEMP: notADirectory } },
    );
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^::error::Could not write the plan file in .*EEXIST/),
    ]);
    expect([run.outputs['plan-file'], run.outputs['plan-digest']]).toEqual(['', '']);
  });

  it('applies exactly the planned deliveries, once: the second time sends nothing', async () => {
    const ids = [at(9), at(5), at(2)];
    const { file, digest } = await plan();
    // Appears after the plan: not part of what was approved.
    const later = at(1);

    const first = await runInProcess({ ...world.inputs, 'plan-file': file, 'plan-digest': digest });
    expect(first.code).toBe(0);
    expectAllOutputsSet(first);
    expect(bulkIds()).toEqual(ids);
    const created = json(first.outputs['created-ids']) as string[];
    expect(created.map((id) => world.sandbox.delivery(id)?.redeliveryOf)).toEqual(ids);
    expect(first.outputs['skipped-count']).toBe('0');
    expect(first.outputs['plan-file']).toBe('');
    expect(first.summary).toContain('3 planned deliveries were checked again through the list API');
    // The smallest window: since the earliest planned delivery less a minute, one webhook.
    const earliest = world.sandbox.delivery(ids[0] as string)?.createdAt.getTime() ?? 0;
    expect(world.sandbox.requestsTo('list')[0]?.query).toMatchObject({
      since: new Date(earliest - 60_000).toISOString().replace('.000Z', 'Z'),
      webhook_id: 'wh_default',
    });

    const second = await runInProcess({
      ...world.inputs,
      'plan-file': file,
      'plan-digest': digest,
    });
    expect(second.code).toBe(0);
    expect(bulkIds()).toEqual(ids);
    expect(second.outputs['created-count']).toBe('0');
    expect(second.outputs['skipped-count']).toBe('3');
    expect(bulkIds()).not.toContain(later);
  });

  it('skips an event retried or completed between plan and apply, and says so', async () => {
    const [retried, completed, kept] = [
      at(9, { eventId: 'evt_retried' }),
      at(8, { eventId: 'evt_completed' }),
      at(7, { eventId: 'evt_kept' }),
    ];
    const { file, digest } = await plan();
    const redelivery = at(0.5, { eventId: 'evt_retried', state: 'pending' });
    at(0.4, { eventId: 'evt_completed', state: 'completed' });

    const run = await runInProcess({ ...world.inputs, 'plan-file': file, 'plan-digest': digest });
    expect(run.code).toBe(0);
    expect(bulkIds()).toEqual([kept]);
    expect(run.outputs['skipped-count']).toBe('2');
    expect(json(run.outputs['selected-ids'])).toEqual([kept]);
    expect(run.summary).toContain('| Skipped: changed since the plan | 2 |');
    expect(run.summary).toContain('#### Skipped: changed since the plan (2)');
    expect(run.summary).toContain(
      `| ${retried} | evt_retried | wh_default | errored | ${redelivery} | pending |`,
    );
    const report = JSON.parse(readFileSync(run.outputs['report-file'] ?? '', 'utf8')) as {
      changedSincePlan: { id: string; reason: string }[];
    };
    expect(report.changedSincePlan).toEqual([
      expect.objectContaining({ id: retried, reason: 'changed since the plan' }),
      expect.objectContaining({ id: completed, reason: 'changed since the plan' }),
    ]);
    expect(run.stdout).toContain('2 of them changed since the plan (skipped)');
  });

  it('re-plans in a dry run of a plan: what is still to send, bound to a new digest', async () => {
    const [retried, kept] = [at(3, { eventId: 'evt_retried' }), at(2)];
    const first = await plan();
    at(0.5, { eventId: 'evt_retried', state: 'pending' });
    const second = await plan({ 'plan-file': first.file, 'plan-digest': first.digest });
    expect(world.bulkCalls()).toEqual([]);
    expect(second.run.outputs['skipped-count']).toBe('1');
    expect(second.digest).not.toBe(first.digest);
    expect(JSON.parse(second.text)).toMatchObject({
      selection: { source: 'plan-file', path: first.file, digest: first.digest },
      deliveries: [expect.objectContaining({ id: kept, state: 'errored' })],
    });
    expect(second.text).not.toContain(retried);
  });

  it('plans explicit IDs with their events, looked up in the list, and checks them again when applied', async () => {
    const ids = world.seed(2);
    const { run: planned, file, digest } = await plan({ 'delivery-ids': ids.join() });
    expect(planned.summary).toContain('| Deliveries planned | 2 |');
    expect(json(readFileSync(file, 'utf8')) as { deliveries: unknown[] }).toMatchObject({
      deliveries: ids.map((id) => ({
        id,
        eventId: world.sandbox.delivery(id)?.eventId,
        webhookId: 'wh_default',
        state: 'errored',
      })),
    });

    const run = await runInProcess({ ...world.inputs, 'plan-file': file, 'plan-digest': digest });
    expect(run.code).toBe(0);
    expect(world.sandbox.requestsTo('list')).not.toEqual([]);
    expect(bulkIds()).toEqual(ids);
    expect(run.summary).toContain('2 planned deliveries were checked again through the list API');
  });
});

describe('a plan that is not the approved one is refused before any request', () => {
  let planned: Planned;
  beforeEach(async () => {
    at(3);
    at(2);
    planned = await plan();
  });
  const apply = (inputs: Record<string, string> = {}): Promise<ActionRun> =>
    runInProcess({
      ...world.inputs,
      'plan-file': planned.file,
      'plan-digest': planned.digest,
      ...inputs,
    });
  const rewritten = (text: string): string => {
    const path = join(scratchDir('plan-'), 'plan.json');
    writeFileSync(path, text);
    return path;
  };

  it('another digest than the approved one', async () => {
    const other = `${planned.digest.slice(1)}${planned.digest[0] === '0' ? '1' : '0'}`;
    expectRefusedBeforeAnyRequest(
      await apply({ 'plan-digest': other }),
      new RegExp(
        `^::error::Input plan-digest does not match the plan: it is not the plan that was approved, so nothing was sent; apply the approved dry run's plan file\\. The approved digest is ${other}, the plan file's is ${planned.digest}\\.$`,
      ),
    );
  });

  it('another API origin', async () => {
    const url = new URL(world.inputs['api-url'] ?? '');
    url.hostname = 'localhost';
    expectRefusedBeforeAnyRequest(
      await apply({ 'api-url': url.href, 'plan-digest': planned.digest }),
      /^::error::Input plan-file holds a plan made for another API origin \(http:\/\/127\.0\.0\.1:\d+\) than this run's api-url \(http:\/\/localhost:\d+\); nothing was sent\.$/,
    );
  });

  it('another client ID', async () => {
    expectRefusedBeforeAnyRequest(
      await apply({ 'client-id': VIEWER.clientId, 'client-secret': VIEWER.clientSecret }),
      /^::error::Input plan-file holds a plan made with another client ID or access-token \(client ID ci-admin\) than this run's \(client ID ci-viewer\)/,
    );
  });

  it('an expired plan, after plan-max-age', async () => {
    world.clock.advance(24 * HOUR + 60_000);
    expectRefusedBeforeAnyRequest(
      await apply(),
      /^::error::Input plan-file holds a plan that has expired: made at .*, 24 h ago, it is older than plan-max-age \(24h\)/,
    );
    world.clock.advance(-2 * HOUR);
    expectRefusedBeforeAnyRequest(await apply({ 'plan-max-age': '1h' }), /plan-max-age \(1h\)/);
  });

  it('a truncated, malformed or edited plan file, or one of an unknown version', async () => {
    const cases: [string, RegExp][] = [
      [
        planned.text.slice(0, 200),
        /is not valid JSON: the file is cut short, or is not a plan file/,
      ],
      ['not a plan\n', /is not valid JSON/],
      [
        planned.text.replace('"version":2', '"version":3'),
        /is a plan of an unknown version \(3\): this action applies plans of version 2 only/,
      ],
      [planned.text.replace(/"dlv_\d+"/, '"dlv_999999"'), /does not match its own digest/],
    ];
    for (const [text, message] of cases) {
      expectRefusedBeforeAnyRequest(
        await apply({ 'plan-file': rewritten(text) }),
        new RegExp(`^::error::Input plan-file ${message.source}.*; nothing was sent\\.$`),
      );
    }
  });

  it('a source besides the plan', async () => {
    expectRefusedBeforeAnyRequest(
      await apply({ since: '1h' }),
      /^::error::Set exactly one source of deliveries, not several: got since\/webhook-id \(discovery\) and plan-file\.$/,
    );
  });

  const onLinux = existsSync('/proc/self/environ') ? it : it.skip;
  onLinux('a path that names something else, without printing what it holds', async () => {
    const fifo = join(scratchDir('plan-fifo-'), 'plan');
    execFileSync('mkfifo', [fifo]);
    expectRefusedBeforeAnyRequest(
      await apply({ 'plan-file': fifo }),
      /^::error::Input plan-file must be a regular file of at most 64 MiB; got a FIFO/,
    );
    const run = await apply({ 'plan-file': '/proc/self/environ' });
    expectRefusedBeforeAnyRequest(run, /^::error::Input plan-file is not valid JSON/);
    expect(run.stdout + run.summary).not.toContain('PATH=');
  });
});

describe('the bundled action', () => {
  it('plans, refuses a wrong digest, then applies the plan', async () => {
    const ids = [at(3), at(2)];
    const { file, digest } = await plan({ since: '4h' }, runBundle);
    const refused = await runBundle({
      ...world.inputs,
      'plan-file': file,
      'plan-digest': '0'.repeat(64),
    });
    expect(refused.code).toBe(1);
    expect(errorLines(refused)).toEqual([
      expect.stringMatching(/^::error::Input plan-digest does not match/),
    ]);
    expect(world.sandbox.requests).toEqual([]);

    const applied = await runBundle({ ...world.inputs, 'plan-file': file, 'plan-digest': digest });
    expect(applied.code).toBe(0);
    expect(bulkIds()).toEqual(ids);
    expect(applied.outputs['created-count']).toBe('2');
    expectNoSecretLeaks(applied, [ADMIN.clientSecret]);
  });
});
