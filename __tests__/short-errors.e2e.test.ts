/**
 * Short errors: the first sentence of every ::error:: says what happened and what to do, and no
 * count in it is zero ("0 IDs were never sent"); where each ID stands follows in the log and the
 * summary. Every failure path a user can meet, against the sandbox.
 */
import { describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SettleOutcome } from '../sandbox/index.js';
import { errorLines, runInProcess, type ActionRun } from './support/runner.js';
import { useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));

/** The first sentence of a message: up to the first full stop that ends one ("e.g." does not). */
export function firstSentence(message: string): string {
  const match = /^.*?[.!?](?=\s|$)/.exec(message.replace(/\b(e\.g|i\.e)\./g, '$1_'));
  return match ? message.slice(0, match[0].length) : message;
}

const FIRST_SENTENCE_MAX = 160;
/** The whole ::error:: line: the longest is a bulk call's error with the server's own words. */
const LINE_MAX = 320;

/** A count of none, as a number: "0 IDs", "0 new deliveries" (not "HTTP 500", not "1.0"). */
const ZERO_COUNT = /(^|[^\w.,])0 [a-z]/;

async function failure(
  inputs: Record<string, string>,
  options: { cancel?: AbortSignal } = {},
): Promise<{ run: ActionRun; error: string }> {
  const run = await runInProcess({ ...world.inputs, ...inputs }, world.clock, options);
  rmSync(dirname(run.runnerTemp), { recursive: true, force: true });
  expect(run.code).toBe(1);
  const lines = errorLines(run);
  expect(lines).toHaveLength(1);
  return { run, error: (lines[0] as string).replace(/^::error::/, '') };
}

function expectShort(error: string): void {
  const first = firstSentence(error);
  expect([first, first.length <= FIRST_SENTENCE_MAX]).toEqual([first, true]);
  expect([error, error.length <= LINE_MAX]).toEqual([error, true]);
  expect([error, ZERO_COUNT.test(error)]).toEqual([error, false]);
}

const receiver = (outcome: (originalId: string) => SettleOutcome): void =>
  world.sandbox.setSettle({ afterMs: 300, outcome: ({ originalId }) => outcome(originalId) });

const WAIT = { wait: 'true', 'poll-interval-seconds': '1', 'wait-timeout-seconds': '5' };

describe('the first sentence of an input error', () => {
  it.each<[string, Record<string, string>]>([
    ['no source', {}],
    ['no client-id', { 'client-id': '', 'delivery-ids': 'dlv_1' }],
    ['plain http', { 'api-url': 'http://hindsite.example.com', 'delivery-ids': 'dlv_1' }],
    ['event-action with IDs', { 'delivery-ids': 'dlv_1', 'event-action': 'form_completed' }],
    ['a bad event-action', { since: '1h', 'event-action': 'form completed, x' }],
    ['no event action', { since: '1h', 'event-action': ',' }],
    ['a bad ID', { 'delivery-ids': `dlv_1\ndlv_2, dlv="x"` }],
    ['a bad JSON array', { 'delivery-ids': '["dlv_1"' }],
    ['since unreadable', { since: 'yesterday' }],
    ['since too far back', { since: '4000d' }],
    ['since in the future', { since: '2999-01-01T00:00:00Z' }],
    ['batch-size', { 'delivery-ids': 'dlv_1', 'batch-size': '5000' }],
    ['two sources', { 'delivery-ids': 'dlv_1', since: '1h' }],
    ['plan-digest alone', { 'delivery-ids': 'dlv_1', 'plan-digest': 'a'.repeat(64) }],
  ])('%s', async (_, inputs) => {
    const { error } = await failure(inputs);
    expect(error).toMatch(/^(Input [a-z-]+|No deliveries to retry|Set exactly one source)/);
    expectShort(error);
    expect(world.sandbox.requests).toEqual([]);
  });
});

describe('the first sentence of a plan refused', () => {
  it('a plan-digest that does not match the plan: the two digests follow it', async () => {
    const dry = await runInProcess(
      { ...world.inputs, 'delivery-ids': world.seed(1).join(), 'dry-run': 'true' },
      world.clock,
    );
    const { error } = await failure({
      'plan-file': dry.outputs['plan-file'] as string,
      'plan-digest': 'f'.repeat(64),
    });
    rmSync(dirname(dry.runnerTemp), { recursive: true, force: true });
    expect(error).toMatch(/^Input plan-digest does not match the plan: /);
    expectShort(error);
  });
});

describe('the first sentence of a failed run', () => {
  it('over max-deliveries', async () => {
    const ids = world.seed(3);
    const { error } = await failure({ 'delivery-ids': ids.join(), 'max-deliveries': '2' });
    expect(error).toMatch(/^3 deliveries were selected, more than max-deliveries \(2\)/);
    expectShort(error);
  });

  it('a refused token: short but for the words it quotes from HINDSITE (at most 200)', async () => {
    const { error } = await failure({ 'client-secret': 'wrong-secret', since: '1h' });
    expect(error).toMatch(/^Token exchange failed: HTTP 401 Unauthorized: invalid_client: /);
    // The server's own words are cut to 200 characters where they are read (wire.ts).
    const quoted = /^Token exchange failed: HTTP 401 Unauthorized: (.*?)\. Check/.exec(error)?.[1];
    expect(quoted?.length).toBeLessThanOrEqual(200);
    expectShort(error.replace(quoted as string, 'invalid_client'));
  });

  it('a discovery that fails', async () => {
    world.sandbox.inject({ route: 'list', status: 500, times: Infinity });
    const { error } = await failure({ since: '1h', 'max-attempts': '1' });
    expectShort(error);
  });

  it('a bulk call that fails with batches left: the counts go to the log, not the error', async () => {
    const ids = world.seed(3);
    world.sandbox.inject({ route: 'bulk', status: 500, skip: 1, afterHandling: true });
    const { run, error } = await failure({
      'delivery-ids': ids.join(),
      'batch-size': '1',
      concurrency: '1',
    });
    expect(error).toMatch(/^Bulk redelivery \(batch 2 of 3\) failed: HTTP 500/);
    expectShort(error);
    expect(error).not.toMatch(/redelivery created|never sent/);
    expect(run.stdout).toContain('1 redelivery created.');
    expect(run.summary).toContain('1 ID was never sent');
  });

  it('a bulk call refused with 429 every time', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({
      route: 'bulk',
      status: 429,
      headers: { 'retry-after': '0' },
      times: Infinity,
    });
    const { error } = await failure({ 'delivery-ids': ids.join() });
    expectShort(error);
  });

  it('a bulk call refused with 422', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({ route: 'bulk', status: 422, body: '{"error":"bad ids"}' });
    const { error } = await failure({ 'delivery-ids': ids.join() });
    expectShort(error);
  });

  it('a bulk reply that accounts for none of the IDs', async () => {
    const ids = world.seed(3);
    world.sandbox.inject({ route: 'bulk', status: 201, body: world.bulkReply([], []) });
    const { error } = await failure({ 'delivery-ids': ids.join() });
    expect(error).toContain(
      'answered with no new delivery and no dropped ID for 3 IDs sent: all 3 may or may not have been redelivered.',
    );
    expectShort(error);
  });

  it('new deliveries that failed again', async () => {
    const ids = world.seed(3);
    receiver((original) => (original === ids[0] ? 'errored' : 'completed'));
    const { run, error } = await failure({ 'delivery-ids': ids.join(), ...WAIT });
    expect(error).toBe(
      'Redelivered 3 deliveries, but 1 new delivery failed again (failed-again-ids): fix the receiver, then re-run failed-again-original-ids.',
    );
    expectShort(error);
    expect(run.stdout).toMatch(
      new RegExp(`^Failed again \\(failed-again-ids\\): ${ids[0]} \\(`, 'm'),
    );
  });

  it('new deliveries that did not settle', async () => {
    const ids = world.seed(2);
    receiver(() => 'never');
    const { error } = await failure({ 'delivery-ids': ids.join(), ...WAIT });
    expect(error).toBe(
      'Redelivered 2 deliveries, but 2 new deliveries had not settled after 5 s (unsettled-ids): check them later, or raise wait-timeout-seconds.',
    );
    expectShort(error);
  });

  it('new deliveries that failed again and others that did not settle', async () => {
    const ids = world.seed(3);
    receiver((original) => (original === ids[0] ? 'retrying' : 'never'));
    const { error } = await failure({ 'delivery-ids': ids.join(), ...WAIT });
    expect(error).toMatch(
      /^Redelivered 3 deliveries, but 1 failed again \(failed-again-ids\) and 2 had not settled after 5 s: fix the receiver, then re-run failed-again-original-ids\./,
    );
    expectShort(error);
  });

  it.each<[string, (ids: string[]) => SettleOutcome, RegExp]>([
    ['fails again', () => 'errored', /^The receiver is still refusing: 1 canary delivery failed/],
    ['does not settle', () => 'never', /^The canary did not show that the receiver is back/],
  ])('a canary that %s', async (_, outcome, start) => {
    const ids = world.seed(4);
    receiver(() => outcome(ids));
    const { error } = await failure({ 'delivery-ids': ids.join(), canary: '1', ...WAIT });
    expect(error).toMatch(start);
    expect(error).toContain('the other 3 were not sent');
    expectShort(error);
  });

  it('a canary whose IDs were all dropped', async () => {
    const ids = world.seed(2);
    const { error } = await failure({
      'delivery-ids': ['dlv_gone', ...ids].join(),
      canary: '1',
      ...WAIT,
    });
    expect(error).toBe(
      'The canary showed nothing about the receiver: HINDSITE dropped its 1 delivery (dropped-ids) and the other 2 were not sent; check the IDs, then re-run.',
    );
    expectShort(error);
  });

  it('fail-on-dropped', async () => {
    const { error } = await failure({ 'delivery-ids': 'dlv_gone', 'fail-on-dropped': 'true' });
    expectShort(error);
  });

  it('a cancelled job: what to do with what is left, and no count of none', async () => {
    const ids = world.seed(2);
    const cancel = new AbortController();
    // Cancelled while the token is fetched: no bulk call starts.
    world.sandbox.inject({
      route: 'token',
      when: () => {
        cancel.abort('SIGTERM');
        return false;
      },
    });
    const { run, error } = await failure({ 'delivery-ids': ids.join() }, { cancel: cancel.signal });
    expect(error).toBe(
      'The job was cancelled (SIGTERM), so the run stopped: send unsent-ids again.',
    );
    expectShort(error);
    expect(run.stdout).toContain('2 IDs were never sent (unsent-ids): safe to send again.');
  });
});

describe('firstSentence', () => {
  it('ends at the first full stop that ends a sentence', () => {
    expect(firstSentence('Input since must be a date (e.g. 2026-11-28). Got x.')).toBe(
      'Input since must be a date (e.g. 2026-11-28).',
    );
    expect(firstSentence('Version 1.0.0 failed: HTTP 500. Try again.')).toBe(
      'Version 1.0.0 failed: HTTP 500.',
    );
    expect(firstSentence('No full stop')).toBe('No full stop');
  });
});
