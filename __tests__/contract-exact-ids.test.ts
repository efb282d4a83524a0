/**
 * `npm run contract`'s check of whether the API takes another spelling of an ID (its case swapped,
 * a number zero-padded) for the same one: read-only, through the list's webhook_id filter, the
 * API's only lookup by ID. Against the sandbox (exact, as documented) and a server that is not.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runContractCommand } from '../contract/command.js';
import { startContractSandbox, type ContractSandbox } from '../contract/sandbox.js';
import { otherSpellings, type Row } from '../contract/suite.js';
import { DEMO_ORGANISATION, type Fault, type RecordedRequest } from '../sandbox/index.js';

const NAME = 'list: IDs compared exactly';

let world: ContractSandbox | undefined;
afterEach(async () => {
  await world?.sandbox.close();
  world = undefined;
});

async function contract(
  args: string[],
  faults: Fault[] = [],
): Promise<{ code: number; row: Row | undefined; listed: RecordedRequest[] }> {
  world ??= await startContractSandbox();
  for (const fault of faults) world.sandbox.inject(fault);
  let out = '';
  const code = await runContractCommand(
    ['--json', ...args],
    world.env,
    { out: (text) => (out += text), err: () => undefined },
    { sleep: () => Promise.resolve() },
  );
  const report = JSON.parse(out) as { assumptions: Row[] };
  return {
    code,
    row: report.assumptions.find((assumption) => assumption.name === NAME),
    listed: world.sandbox.requestsTo('list'),
  };
}

/** The webhook_id of every filtered list page the run asked for, in order. */
const webhookFilters = (listed: RecordedRequest[]): string[] =>
  listed.map((request) => request.query['webhook_id']).filter((id) => id !== undefined);

describe('otherSpellings', () => {
  it('swaps the case of the letters and pads the first number with a zero', () => {
    expect(otherSpellings('wh_Orders_42_7')).toEqual([
      ['re-cased', 'WH_oRDERS_42_7'],
      ['zero-padded', 'wh_Orders_042_7'],
    ]);
    expect(otherSpellings('12345')).toEqual([['zero-padded', '012345']]);
    expect(otherSpellings('wh_orders')).toEqual([['re-cased', 'WH_ORDERS']]);
    expect(otherSpellings('_-.')).toEqual([]);
  });
});

describe('npm run contract: are IDs compared exactly', () => {
  it('confirms it against the sandbox, read-only, with one page for each other spelling', async () => {
    const run = await contract([]);
    expect(run.code).toBe(0);
    expect(run.row).toMatchObject({
      result: 'confirmed',
      reliedOn: false,
      observed: 're-cased: no row of it; zero-padded: no digit to pad',
    });
    // The webhook_id filter, then its other spelling; no ID is quoted in the report.
    const [exact, ...others] = webhookFilters(run.listed);
    expect(others).toEqual([exact?.toUpperCase()]);
    expect(JSON.stringify(run.row)).not.toContain(exact);
    expect(world?.sandbox.requestsTo('bulk').map((request) => request.body)).toEqual([
      '{"delivery_ids":[]}',
    ]);
  });

  it('differs, and still exits 0, against a server that finds a webhook by another case', async () => {
    world = await startContractSandbox();
    const sandbox = world.sandbox;
    let asked = '';
    const loose: Fault = {
      route: 'list',
      times: Infinity,
      when: (request) => {
        asked = request.query['webhook_id'] ?? '';
        return asked !== '' && asked !== asked.toLowerCase();
      },
      rewrite: (body) => ({
        ...(body as object),
        webhook_deliveries: sandbox
          .deliveries()
          .filter(
            (row) =>
              row.organisationId === DEMO_ORGANISATION &&
              row.webhookId.toLowerCase() === asked.toLowerCase(),
          )
          .map((row) => ({ id: row.id, webhook_id: row.webhookId, event_id: row.eventId })),
      }),
    };
    const run = await contract([], [loose]);
    expect(run.code).toBe(0);
    expect(run.row).toMatchObject({
      result: 'differs',
      observed: expect.stringMatching(/^re-cased: \d+ rows of that webhook; zero-padded: no digit/),
    });
  });

  it('is not checked when the webhook_id filter itself does not hold', async () => {
    world = await startContractSandbox();
    const sandbox = world.sandbox;
    // Any webhook_id: the first five rows of the organisation, whichever webhook they are of.
    const everyRow: Fault = {
      route: 'list',
      times: Infinity,
      when: (request) => request.query['webhook_id'] !== undefined,
      rewrite: (body) => ({
        ...(body as object),
        webhook_deliveries: sandbox
          .deliveries()
          .filter((row) => row.organisationId === DEMO_ORGANISATION)
          .slice(0, 5)
          .map((row) => ({ id: row.id, webhook_id: row.webhookId, event_id: row.eventId })),
      }),
    };
    const run = await contract([], [everyRow]);
    expect(run.row).toMatchObject({
      result: 'not checked',
      observed: 'the webhook_id filter itself did not hold',
    });
    // No page was read for another spelling.
    expect(webhookFilters(run.listed)).toHaveLength(1);
  });
});
