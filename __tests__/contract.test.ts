import { afterEach, describe, expect, it } from '@jest/globals';
import { runContractCommand, USAGE } from '../contract/command.js';
import { startContractSandbox, type ContractSandbox } from '../contract/sandbox.js';
import { PAST_THE_END_PAGE, type Row } from '../contract/suite.js';
import type { Fault, RecordedRequest } from '../sandbox/index.js';
import { WIRE_ASSUMPTIONS } from '../contract/assumptions.js';
import { isObject } from '../src/model/json.js';

interface JsonReport {
  exitCode: number;
  assumptions: Row[];
  requests: { method: string; target: string; as: string; status: number }[];
}

let world: ContractSandbox | undefined;
afterEach(async () => {
  await world?.sandbox.close();
  world = undefined;
});

/** `npm run contract` in process against a sandbox of its own, with `faults` injected first. */
async function contract(
  args: string[],
  { faults = [], env }: { faults?: Fault[]; env?: (env: Record<string, string>) => object } = {},
): Promise<{ code: number; out: string; err: string }> {
  world ??= await startContractSandbox();
  for (const fault of faults) world.sandbox.inject(fault);
  let out = '';
  let err = '';
  const code = await runContractCommand(
    args,
    { ...world.env, ...env?.(world.env) },
    { out: (text) => (out += text), err: (text) => (err += text) },
    { sleep: () => Promise.resolve() },
  );
  return { code, out, err };
}

async function jsonContract(
  args: string[],
  options?: Parameters<typeof contract>[1],
): Promise<JsonReport & { code: number; out: string }> {
  const run = await contract(['--json', ...args], options);
  return { ...(JSON.parse(run.out) as JsonReport), code: run.code, out: run.out };
}

const row = (report: JsonReport, name: string): Row | undefined =>
  report.assumptions.find((assumption) => assumption.name === name);
const byResult = (report: JsonReport, result: Row['result']): string[] =>
  report.assumptions.filter((assumption) => assumption.result === result).map((a) => a.name);
const bulkPosts = (): RecordedRequest[] =>
  world?.sandbox.requestsTo('bulk').filter((request) => request.method === 'POST') ?? [];
/** Every request is a token exchange, a list page, or a POST to the bulk route. */
const kinds = (): string[] =>
  [
    ...new Set(world?.sandbox.requests.map((request) => `${request.method} ${request.route}`)),
  ].sort();

/** A rewrite of the list and bulk replies' rows (error replies pass through). */
const rows =
  (change: (row: Record<string, unknown>) => Record<string, unknown>) =>
  (body: unknown): unknown =>
    isObject(body) && Array.isArray(body['webhook_deliveries'])
      ? { ...body, webhook_deliveries: body['webhook_deliveries'].map(change) }
      : body;
const without =
  (key: string) =>
  ({ [key]: _gone, ...rest }: Record<string, unknown>): Record<string, unknown> =>
    rest;

describe('npm run contract against the sandbox', () => {
  it('confirms every assumption it checks read-only, with only token, list and one empty member bulk call', async () => {
    const report = await jsonContract([]);
    expect(report.code).toBe(0);
    // The rows are src/wire.ts's own assumptions, as the action's parsers define them.
    expect(report.assumptions.map((assumption) => assumption.name)).toEqual(
      WIRE_ASSUMPTIONS.map((assumption) => assumption.name),
    );
    expect(byResult(report, 'differs')).toEqual([]);
    // Only what needs --allow-redeliver is left unchecked.
    expect(byResult(report, 'not checked').every((name) => name.startsWith('bulk: '))).toBe(true);
    expect(kinds()).toEqual(['GET list', 'POST bulk', 'POST token']);
    // The one POST to the bulk route: the member's, with no IDs, refused; nothing was created.
    const [probe, ...more] = bulkPosts();
    expect(more).toEqual([]);
    expect(JSON.parse(probe?.body ?? '')).toEqual({ delivery_ids: [] });
    const memberToken = world?.sandbox.requests.find(
      (request) =>
        request.route === 'token' &&
        request.body.includes(`client_id=${world?.seed.nonAdminClientId}`),
    );
    expect(memberToken).toBeDefined();
    expect(report.requests.filter((request) => request.target.includes('redeliveries'))).toEqual([
      expect.objectContaining({ method: 'POST', as: 'member', status: 403 }),
    ]);
    expect(world?.sandbox.deliveries()).toHaveLength(15);
  });

  it('makes no call to the bulk route at all without a member client', async () => {
    const report = await jsonContract([], {
      env: () => ({ HINDSITE_MEMBER_CLIENT_ID: '', HINDSITE_MEMBER_CLIENT_SECRET: '' }),
    });
    expect(report.code).toBe(0);
    expect(kinds()).toEqual(['GET list', 'POST token']);
    expect(row(report, 'non-admin bulk: HTTP status')?.result).toBe('not checked');
  });

  it('with --allow-redeliver, makes exactly one bulk call, which creates one delivery, and confirms the rest', async () => {
    world = await startContractSandbox();
    const [id] = world.seed.erroredIds;
    const report = await jsonContract(['--allow-redeliver', id as string]);
    expect(report.code).toBe(0);
    expect(byResult(report, 'differs')).toEqual([]);
    expect(byResult(report, 'not checked')).toEqual([
      'non-admin bulk: HTTP status',
      'bulk: completed delivery',
      'bulk: duplicate IDs in one call',
    ]);
    const [call, ...more] = bulkPosts();
    expect(more).toEqual([]);
    const sent = (JSON.parse(call?.body ?? '') as { delivery_ids: string[] }).delivery_ids;
    expect(sent).toEqual([id, expect.stringMatching(/^contract-check-no-such-delivery-/)]);
    expect(world.sandbox.deliveries()).toHaveLength(16);
    expect(world.sandbox.deliveries().at(-1)?.redeliveryOf).toBe(id);
  });
});

describe('npm run contract against an API that differs', () => {
  it('fails, naming meta.dropped_ids, when the bulk reply has none', async () => {
    world = await startContractSandbox();
    const dropMeta = (body: unknown): unknown =>
      isObject(body) && isObject(body['meta'])
        ? { ...body, meta: without('dropped_ids')(body['meta']) }
        : body;
    const run = await contract(['--allow-redeliver', world.seed.erroredIds[0] as string], {
      faults: [{ route: 'bulk', rewrite: dropMeta }],
    });
    expect(run.code).toBe(1);
    expect(run.out).toMatch(
      /^DIFFERS +yes +bulk: meta\.dropped_ids +an array of strings +missing/m,
    );
    expect(run.out).toContain(
      '- bulk: meta.dropped_ids (RELIED ON): The IDs HINDSITE did not find',
    );
    const report = await jsonContract(['--allow-redeliver', world.seed.erroredIds[1] as string], {
      faults: [{ route: 'bulk', rewrite: dropMeta }],
    });
    expect(byResult(report, 'differs')).toEqual([
      'bulk: meta.dropped_ids',
      'bulk: one new delivery per ID, the rest dropped',
    ]);
  });

  it('fails, naming event_id, when list rows have none', async () => {
    const report = await jsonContract([], {
      faults: [{ route: 'list', times: Infinity, rewrite: rows(without('event_id')) }],
    });
    expect(report.code).toBe(1);
    expect(byResult(report, 'differs')).toEqual(['list: webhook_deliveries[].event_id']);
    expect(row(report, 'list: webhook_deliveries[].event_id')?.observed).toBe(
      'missing in 5 of 5 rows',
    );
  });

  it('fails, naming webhook_deliveries, when the bulk call succeeds with 200 and another key', async () => {
    world = await startContractSandbox();
    const renamed = (body: unknown): unknown =>
      isObject(body) ? { deliveries: body['webhook_deliveries'], meta: body['meta'] } : body;
    const report = await jsonContract(['--allow-redeliver', world.seed.erroredIds[0] as string], {
      faults: [{ route: 'bulk', status: 200, rewrite: renamed }],
    });
    expect(report.code).toBe(1);
    expect(row(report, 'bulk: HTTP status')).toMatchObject({
      result: 'confirmed',
      observed: 'HTTP 200',
    });
    expect(byResult(report, 'differs')).toEqual([
      'bulk: webhook_deliveries',
      'bulk: reply read by the action',
      'bulk: one new delivery per ID, the rest dropped',
    ]);
    expect(row(report, 'bulk: webhook_deliveries')?.observed).toBe('missing');
  });

  it('reports a difference the action copes with, and still exits 0', async () => {
    const report = await jsonContract([], {
      faults: [{ route: 'list', times: Infinity, rewrite: rows(without('event_action')) }],
    });
    expect(report.code).toBe(0);
    expect(byResult(report, 'differs')).toEqual(['list: webhook_deliveries[].event_action']);
  });
});

describe('npm run contract output', () => {
  it('never prints the client secrets or an issued token, as a table or as JSON', async () => {
    world = await startContractSandbox();
    const { seed } = world;
    // A server that echoes the secret where the report quotes values (a delivery's state).
    const echo = rows((delivery) => ({ ...delivery, state: seed.clientSecret }));
    const faults: Fault[] = [{ route: 'list', times: 2, rewrite: echo }];
    const args = ['--allow-redeliver', seed.erroredIds[0] as string];
    const table = await contract(args, { faults });
    const json = await contract(['--json'], { faults });
    const tokens = world.sandbox.requests
      .map((request) => String(request.headers.authorization ?? '').replace(/^Bearer /, ''))
      .filter((token) => token.length > 0);
    expect(tokens.length).toBeGreaterThan(10);
    for (const output of [table.out, json.out]) {
      expect(output).toContain('***');
      for (const secret of [seed.clientSecret, seed.nonAdminClientSecret, ...tokens]) {
        expect(output).not.toContain(secret);
      }
    }
  });

  it('prints --help, and refuses an incomplete environment with exit status 2', async () => {
    expect(await contract(['--help'])).toEqual({ code: 0, out: USAGE, err: '' });
    const half = await contract([], { env: () => ({ HINDSITE_CLIENT_SECRET: '' }) });
    expect(half).toMatchObject({ code: 2, out: '' });
    expect(half.err).toBe(
      'contract: HINDSITE_CLIENT_ID is set but HINDSITE_CLIENT_SECRET is not\n',
    );
    const noCredentials = {
      HINDSITE_API_URL: '',
      HINDSITE_CLIENT_ID: '',
      HINDSITE_CLIENT_SECRET: '',
    };
    const api = await contract(['--api'], { env: () => noCredentials });
    expect(api.err).toMatch(/^contract: --api needs HINDSITE_CLIENT_ID/);
    const plain = await contract([], {
      env: () => ({ HINDSITE_API_URL: 'http://hindsite.example' }),
    });
    expect(plain.err).toMatch(/^contract: HINDSITE_API_URL must use https:\/\//);
    const two = await contract(['--allow-redeliver', 'a,b']);
    expect(two.err).toBe('contract: --allow-redeliver takes exactly one delivery ID\n');
  });

  it('stops with exit status 2 when the credentials are refused', async () => {
    const run = await contract([], { env: () => ({ HINDSITE_CLIENT_SECRET: 'not-the-secret' }) });
    expect(run.code).toBe(2);
    expect(run.out).toContain('Stopped early: the token exchange was refused (HTTP 401');
    expect(kinds()).toEqual(['POST token']);
  });
});

// Assumptions the suite once passed although they were contradicted: a filter that drops rows
// page 1 shows match it; a server that clamps a page past the end to a page it has, so that
// reading until an empty page never ends.

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

describe('a filter that returns nothing for rows page 1 shows match it', () => {
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

describe('a page past the end that has rows', () => {
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
