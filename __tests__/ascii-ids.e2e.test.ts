/**
 * Delivery IDs are printable ASCII, as the bundled action meets them in delivery-ids,
 * delivery-ids-file, event-action and a plan file: beyond ASCII one ID has several spellings
 * (full-width digits, an accent as one character or as a letter and a combining mark) that
 * HINDSITE may normalise to one delivery, so two spellings would be two redeliveries. Each is
 * refused before any request, naming the input and where, never echoing the ID. The file and
 * event-action cases run the bundle (an ID that came through the runner's environment or a file);
 * the rest run the same action in this process.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiBase, planDigest } from '../src/settings/plan-file.js';
import type { PlanFile, PlannedDelivery } from '../src/settings/settings.js';
import {
  errorLines,
  expectAllOutputsSet,
  json,
  runBundle,
  runInProcess,
  type ActionRun,
} from './support/runner.js';
import { ADMIN, useWorld, type World } from './support/world.js';

let world: World;
useWorld((started) => (world = started));

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/** A file of `text` in a folder of this test's own, removed after it. */
function fileOf(name: string, text: string): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'ascii-ids-'));
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

/** Spellings that read as an ASCII ID but are not one. */
const LOOK_ALIKES: [string, string][] = [
  ['full-width digits', 'dlv_\uff11\uff12\uff13'],
  ['a combining accent', 'dlv_cafe\u0301'],
  ['a precomposed accent', 'dlv_caf\u00e9'],
  ['a Cyrillic letter', 'dlv_\u0430bc'],
];

function expectRefusedBeforeAnyRequest(run: ActionRun, message: string, ids: string[]): void {
  expect(run.code).toBe(1);
  expect(errorLines(run)).toEqual([`::error::${message}`]);
  expect(world.sandbox.requests).toEqual([]);
  expectAllOutputsSet(run);
  expect(json(run.outputs['created-ids'])).toEqual([]);
  for (const id of ids) {
    expect(run.stdout).not.toContain(id);
    expect(run.summary).not.toContain(id);
  }
}

const RULE = "IDs are printable ASCII, at most 128 characters, without spaces, '=' or quotes";

describe('an ID outside printable ASCII', () => {
  it.each(LOOK_ALIKES)('in delivery-ids (%s): refused, naming the line', async (_what, id) => {
    const [valid] = world.seed(1);
    const run = await runInProcess({ ...world.inputs, 'delivery-ids': `${valid}\n${id}` });
    expectRefusedBeforeAnyRequest(
      run,
      `Input delivery-ids: line 2 is not a delivery ID, so nothing was sent; fix or remove it. ${RULE}.`,
      [id],
    );
  });

  it('in delivery-ids-file: refused, naming the file input and the line', async () => {
    const ids = world.seed(2);
    const [, id] = LOOK_ALIKES[1] as [string, string];
    const path = fileOf('ids.txt', `${ids.join('\n')}\n${id}\n`);
    const run = await runBundle({ ...world.inputs, 'delivery-ids-file': path });
    expectRefusedBeforeAnyRequest(
      run,
      `Input delivery-ids-file: line 3 is not a delivery ID, so nothing was sent; fix or remove it. ${RULE}.`,
      [id],
    );
  });

  it('in event-action: refused, naming the item', async () => {
    const run = await runBundle({
      ...world.inputs,
      since: '24h',
      'event-action': 'form_completed, form_complet\u0435d',
    });
    expectRefusedBeforeAnyRequest(
      run,
      "Input event-action: item 2 is not an event action. Each is printable ASCII, at most 128 characters, without spaces, '=' or quotes.",
      ['form_complet\u0435d'],
    );
  });

  it('in a plan file, even under its own digest: refused, naming the delivery', async () => {
    const [, id] = LOOK_ALIKES[0] as [string, string];
    const planned = (deliveryId: string): PlannedDelivery => ({
      id: deliveryId,
      eventId: `evt_${deliveryId}`,
      eventAction: 'form_completed',
      webhookId: 'wh_orders',
      createdAt: new Date(Date.now() - 3_600_000).toISOString(),
      state: 'errored',
    });
    const deliveries = [planned('dlv_123'), planned(id)];
    const apiUrl = apiBase(new URL(world.inputs['api-url'] as string));
    const createdAt = new Date().toISOString();
    const content = {
      apiUrl,
      clientId: ADMIN.clientId,
      createdAt,
      selection: { source: 'discovery' },
      deliveries,
    };
    const digest = planDigest(content);
    const plan: PlanFile = {
      format: 'hindsite-redeliver-plan',
      version: 2,
      digest,
      ...content,
    };
    const path = fileOf('plan.json', JSON.stringify(plan));
    const run = await runInProcess({ ...world.inputs, 'plan-file': path, 'plan-digest': digest });
    expectRefusedBeforeAnyRequest(
      run,
      `Input plan-file is not a valid plan: "deliveries[1].id" must be a delivery ID (${RULE}): ${path}; nothing was sent.`,
      [id],
    );
  });
});
