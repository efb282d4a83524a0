import { describe, expect, it } from '@jest/globals';
import type { Delivery } from '../src/domain.js';
import { InputError } from '../src/errors.js';
import { parseEventActions, readSettings, type InputReader } from '../src/inputs.js';
import { listAllPages } from '../src/paging.js';
import { caught } from './support/caught.js';

const reader = (values: Record<string, string>): InputReader => ({
  get: (name) => values[name] ?? '',
  readIdsFile: () => 'dlv_1',
  now: () => new Date('2026-11-29T12:00:00Z'),
});
/** Settings of a discovering run with these inputs. */
const settings = (values: Record<string, string>) =>
  readSettings(reader({ 'access-token': 'tok', since: '24h', ...values }));

describe('inputs: event-action', () => {
  it('reads event-action as a comma- or newline-separated list, trimmed and de-duplicated', () => {
    expect(settings({}).source).toMatchObject({ kind: 'discovery', eventActions: undefined });
    expect(parseEventActions('')).toBeUndefined();
    expect(parseEventActions(' form_completed,report_export_completed\n form_completed ,')).toEqual(
      ['form_completed', 'report_export_completed'],
    );
    expect(settings({ 'event-action': 'form_completed' }).source).toMatchObject({
      eventActions: ['form_completed'],
    });
  });

  it.each([
    [',\n,', /got none/],
    ['form_completed, form completed', /item 2 is not one/],
    ['a="b"', /item 1 is not one/],
  ])('refuses event-action %j', (value, reason) => {
    const error = caught(InputError, () => parseEventActions(value));
    expect(error.input).toBe('event-action');
    expect(error.message).toMatch(reason);
  });

  it.each([['delivery-ids'], ['delivery-ids-file']])(
    'refuses event-action with %s: the action cannot see their event action',
    (source) => {
      const error = caught(InputError, () =>
        readSettings(
          reader({ 'access-token': 'tok', [source]: 'dlv_1', 'event-action': 'form_completed' }),
        ),
      );
      expect(error.input).toBe('event-action');
      expect(error.message).toContain(`IDs given in ${source}`);
    },
  );
});

describe('the event-action filter on pages', () => {
  const row = (id: string, eventAction: string): Delivery => ({ id, eventAction, response: null });

  it('counts a row left out once, even when a shifting page shows it twice', async () => {
    const pages = [[row('a', 'keep'), row('b', 'drop')], [row('b', 'drop'), row('c', 'drop')], []];
    const { deliveries, leftOut } = await listAllPages(async (page) => pages[page - 1] ?? [], 1, {
      keep: (delivery) => delivery.eventAction === 'keep',
    });
    expect(deliveries.map((delivery) => delivery.id)).toEqual(['a']);
    expect(leftOut).toBe(2);
  });
});
