/**
 * Review findings: the contract suite exited 0 although an assumption the action relies on was
 * contradicted (a filter that drops rows page 1 shows match it; a server that clamps a page past
 * the end to a page it has, so that reading until an empty page never ends).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runContractCommand } from '../contract/command.js';
import { startContractSandbox, type ContractSandbox } from '../contract/sandbox.js';
import { PAST_THE_END_PAGE, type Row } from '../contract/suite.js';
import type { Fault, RecordedRequest } from '../sandbox/index.js';
import { isObject } from '../src/model/json.js';

let world: ContractSandbox | undefined;
afterEach(async () => {
  await world?.sandbox.close();
  world = undefined;
});

/** `npm run contract --json` against a sandbox of its own, with `faults` injected first. */
async function json(faults: Fault[]): Promise<{ code: number; rows: Row[] }> {
  world = await startContractSandbox();
  for (const fault of faults) world.sandbox.inject(fault);
  let out = '';
  const code = await runContractCommand(
    ['--json'],
    world.env,
    { out: (text) => (out += text), err: () => undefined },
    { sleep: () => Promise.resolve() },
  );
  return { code, rows: (JSON.parse(out) as { assumptions: Row[] }).assumptions };
}

const named = (rows: Row[], name: string): Row | undefined => rows.find((row) => row.name === name);
const emptyRows = (body: unknown): unknown =>
  isObject(body) ? { ...body, webhook_deliveries: [] } : body;
const page =
  (number: number) =>
  (request: RecordedRequest): boolean =>
    request.query['page'] === String(number);
/** A page of made-up rows, none of which the sandbox has. */
const madeUpPage = (prefix: string): unknown => ({
  webhook_deliveries: [1, 2, 3].map((n) => ({
    id: `${prefix}_${n}`,
    webhook_id: 'wh_far',
    event_id: `evt_${prefix}_${n}`,
    state: 'errored',
    created_at: '2020-01-01T00:00:00Z',
    response: null,
  })),
  meta: {},
});

describe('review: a filter that returns nothing for rows page 1 shows match it', () => {
  it('since: differs, and the run fails', async () => {
    const { code, rows } = await json([
      { route: 'list', times: Infinity, when: (r) => 'since' in r.query, rewrite: emptyRows },
    ]);
    expect(named(rows, 'list: since filter')).toMatchObject({
      result: 'differs',
      observed: expect.stringMatching(/^no rows came back \(page 1 without it: [1-9]\d* of 5\)$/),
    });
    expect(code).toBe(1);
  });

  it('webhook_id: differs, and the run fails', async () => {
    const { code, rows } = await json([
      {
        route: 'list',
        times: Infinity,
        when: (r) => 'webhook_id' in r.query,
        rewrite: emptyRows,
      },
    ]);
    expect(named(rows, 'list: webhook_id filter')).toMatchObject({
      result: 'differs',
      observed: expect.stringMatching(/^no rows came back \(page 1 without it: [1-9]\d* of 5\)$/),
    });
    expect(code).toBe(1);
  });
});

describe('review: a page past the end that has rows', () => {
  it('differs when it repeats page 1 (a server that clamps the page), and the run fails', async () => {
    let firstPage: unknown;
    const { code, rows } = await json([
      {
        route: 'list',
        times: Infinity,
        when: (r) => r.query['page'] === '1' && Object.keys(r.query).length === 1 && !firstPage,
        rewrite: (body) => (firstPage = body),
      },
      { route: 'list', times: Infinity, when: page(PAST_THE_END_PAGE), rewrite: () => firstPage },
    ]);
    expect(named(rows, 'list: page past the end')).toMatchObject({
      result: 'differs',
      observed: `page ${PAST_THE_END_PAGE} repeats rows of page 1 or 2: the server serves a page it has for one past the end`,
    });
    expect(code).toBe(1);
  });

  it('differs when the next page repeats it (clamped to a last page not read), and the run fails', async () => {
    const far = madeUpPage('dlv_far');
    const { code, rows } = await json([
      { route: 'list', times: Infinity, when: page(PAST_THE_END_PAGE), rewrite: () => far },
      { route: 'list', times: Infinity, when: page(PAST_THE_END_PAGE + 1), rewrite: () => far },
    ]);
    expect(named(rows, 'list: page past the end')).toMatchObject({
      result: 'differs',
      observed: `page ${PAST_THE_END_PAGE + 1} repeats page ${PAST_THE_END_PAGE}: the server serves a page it has for one past the end`,
    });
    expect(code).toBe(1);
  });

  it('is not checked when its rows are new and so are the next page’s (a very long list)', async () => {
    const { code, rows } = await json([
      {
        route: 'list',
        times: Infinity,
        when: page(PAST_THE_END_PAGE),
        rewrite: () => madeUpPage('dlv_a'),
      },
      {
        route: 'list',
        times: Infinity,
        when: page(PAST_THE_END_PAGE + 1),
        rewrite: () => madeUpPage('dlv_b'),
      },
    ]);
    expect(named(rows, 'list: page past the end')).toMatchObject({
      result: 'not checked',
      observed: `page ${PAST_THE_END_PAGE} still has rows: the list is longer than that`,
    });
    expect(code).toBe(0);
  });

  it('reads no page after it when it is empty', async () => {
    const { code, rows } = await json([]);
    expect(named(rows, 'list: page past the end')?.result).toBe('confirmed');
    expect(code).toBe(0);
    expect(world?.sandbox.requestsTo('list').filter(page(PAST_THE_END_PAGE + 1))).toEqual([]);
  });
});
