import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { asDelivery, parsePlanFile, planDigest, PlanFileError } from '../src/settings/plan-file.js';
import { parsePlanDigest, parsePlanMaxAge } from '../src/settings/plan-inputs.js';
import { buildPlanFile } from '../src/run/draft-plan.js';
import type { Delivery } from '../src/model/domain.js';
import { InputError } from '../src/model/errors.js';
import { IdsFileError } from '../src/settings/ids-file.js';
import { readSettings } from '../src/settings/inputs.js';
import type { InputReader } from '../src/settings/settings.js';
import { recheckFilters, RECHECK_MARGIN_MS, selectFromPlan } from '../src/run/recheck.js';
import { caught } from './support/caught.js';
import { type PlanFile, type PlannedDelivery } from '../src/settings/settings.js';
import { type Selection } from '../src/run/result.js';

const NOW = new Date('2026-11-29T12:00:00Z');
const API = new URL('https://app.hindsiteind.com');
const CREDENTIALS = { kind: 'client-credentials', clientId: 'cid', clientSecret: 'shh' } as const;

const planned = (id: string, fields: Partial<PlannedDelivery> = {}): PlannedDelivery => ({
  id,
  eventId: `evt_${id}`,
  eventAction: 'form_completed',
  webhookId: 'wh_orders',
  createdAt: '2026-11-29T10:00:00.000Z',
  state: 'errored',
  ...fields,
});

const discovered = (deliveries: PlannedDelivery[]): Selection => ({
  source: {
    kind: 'discovery',
    since: new Date('2026-11-28T12:00:00Z'),
    sinceInput: '24h',
    state: 'errored',
  },
  ids: deliveries.map((delivery) => delivery.id),
  discoveredCount: deliveries.length,
  skippedCount: 0,
  pagesRead: 1,
  known: new Map(deliveries.map((d) => [d.id, asDelivery(d)])),
});

const planOf = (deliveries: PlannedDelivery[], madeAt = NOW.getTime()): PlanFile =>
  buildPlanFile(discovered(deliveries), { apiUrl: API, credentials: CREDENTIALS }, madeAt);

const AT = '2026-11-30T12:00:00.000Z';
/** The digest of one plan, pinned: a change to the canonical form would void approved plans. */
const PINNED_DIGEST = '71f7f3d86905f3c8c05d4bacc1f61831ccb954c66f30084841b6cd637dc4af95';

describe('planDigest', () => {
  const deliveries = [
    planned('dlv_1'),
    planned('dlv_2', { webhookId: 'wh_"reports"', eventId: 'évt\u2028' }),
    planned('dlv_3', { eventAction: null, webhookId: null, createdAt: null }),
  ];
  const content = {
    apiUrl: 'https://app.hindsiteind.com',
    clientId: 'cid',
    createdAt: AT,
    selection: { source: 'discovery', since: null, state: 'errored' },
    deliveries,
  };

  it('is the SHA-256 of the documented canonical JSON array, hashed a delivery at a time', () => {
    const canonical = JSON.stringify([
      'hindsite-redeliver-plan/2',
      'https://app.hindsiteind.com',
      'cid',
      '2026-11-30T12:00:00.000Z',
      [
        ['since', null],
        ['source', 'discovery'],
        ['state', 'errored'],
      ],
      deliveries.map((d) => [d.id, d.eventId, d.eventAction, d.webhookId, d.createdAt, d.state]),
    ]);
    expect(planDigest(content)).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
  });

  it('keeps its value across releases: a changed canonical form would void approved plans', () => {
    expect(planDigest({ ...content, clientId: '', deliveries: [planned('dlv_1')] })).toBe(
      PINNED_DIGEST,
    );
  });

  it('changes with every field of the plan file', () => {
    const base = planDigest(content);
    const changed = (field: keyof PlannedDelivery, value: string | null): string =>
      planDigest({
        ...content,
        deliveries: [{ ...deliveries[0]!, [field]: value }, ...deliveries.slice(1)],
      });
    expect(planDigest({ ...content, apiUrl: 'https://b.example' })).not.toBe(base);
    expect(planDigest({ ...content, clientId: 'other' })).not.toBe(base);
    expect(planDigest({ ...content, deliveries: [...deliveries].reverse() })).not.toBe(base);
    expect(planDigest({ ...content, deliveries: deliveries.slice(1) })).not.toBe(base);
    // When the plan was made: its age cannot be edited, nor refreshed by planning again.
    expect(planDigest({ ...content, createdAt: '2026-11-30T12:00:01.000Z' })).not.toBe(base);
    // What a reviewer reads in the plan, too.
    expect(
      planDigest({ ...content, selection: { ...content.selection, state: 'retrying' } }),
    ).not.toBe(base);
    expect(
      planDigest({ ...content, selection: { source: 'discovery', state: 'errored' } }),
    ).not.toBe(base);
    for (const field of [
      'id',
      'eventId',
      'webhookId',
      'state',
      'eventAction',
      'createdAt',
    ] as const) {
      expect([field, changed(field, 'other')]).not.toEqual([field, base]);
    }
    expect(changed('createdAt', null)).not.toBe(base);
    // Not the order in which the selection's keys were written.
    const reordered = Object.fromEntries(Object.entries(content.selection).reverse());
    expect(planDigest({ ...content, selection: reordered })).toBe(base);
  });
});

describe('buildPlanFile', () => {
  it('plans a discovery with what the list said of each delivery', () => {
    const plan = planOf([planned('dlv_1'), planned('dlv_2', { webhookId: 'wh_reports' })]);
    expect(plan).toMatchObject({
      format: 'hindsite-redeliver-plan',
      version: 2,
      createdAt: NOW.toISOString(),
      apiUrl: 'https://app.hindsiteind.com',
      clientId: 'cid',
      selection: {
        source: 'discovery',
        since: '2026-11-28T12:00:00.000Z',
        sinceInput: '24h',
        webhookId: null,
        state: 'errored',
      },
      deliveries: [planned('dlv_1'), planned('dlv_2', { webhookId: 'wh_reports' })],
    });
    expect(plan.digest).toBe(planDigest(plan));
  });

  it('binds the path prefix, and a fingerprint of an access-token', () => {
    const plan = buildPlanFile(
      {
        ...discovered([planned('dlv_1')]),
        source: { kind: 'delivery-ids', ids: ['dlv_1'] },
      },
      {
        apiUrl: new URL('https://gw.example:8443/hindsite'),
        credentials: { kind: 'access-token', accessToken: 'Tq9-secret-xyz' },
      },
      NOW.getTime(),
    );
    expect(plan.apiUrl).toBe('https://gw.example:8443/hindsite');
    // Bound to the token itself, by a fingerprint that cannot give it away.
    expect(plan.clientId).toMatch(/^access-token:sha256:[0-9a-f]{16}$/);
    expect(plan.selection).toEqual({ source: 'delivery-ids' });
    expect(plan.deliveries).toEqual([planned('dlv_1')]);
    expect(JSON.stringify(plan)).not.toContain('Tq9-secret-xyz');
  });

  it('never plans a delivery whose event is not known: applying could not check it again', () => {
    const selection = { ...discovered([planned('dlv_1')]), ids: ['dlv_1', 'dlv_2'] };
    expect(() =>
      buildPlanFile(selection, { apiUrl: API, credentials: CREDENTIALS }, NOW.getTime()),
    ).toThrow('delivery dlv_2 was selected for a plan without a known event and state');
  });
});

describe('parsePlanFile', () => {
  const plan = planOf([planned('dlv_1'), planned('dlv_2')]);
  const text = JSON.stringify(plan);
  const edited = (edit: (raw: Record<string, unknown>) => void): string => {
    const raw = JSON.parse(text) as Record<string, unknown>;
    edit(raw);
    return JSON.stringify(raw);
  };
  const refusal = (input: string): string =>
    caught(PlanFileError, () => parsePlanFile(input)).message;

  it('reads back what a dry run wrote', () => {
    expect(parsePlanFile(text)).toEqual(plan);
    expect(parsePlanFile(`${JSON.stringify(plan, null, 2)}\n`)).toEqual(plan);
  });

  it.each([
    ['a truncated file', text.slice(0, text.length / 2), /not valid JSON: the file is cut short/],
    ['an empty file', '', /not valid JSON/],
    ['another JSON document', '{"delivery_ids":["a"]}', /is not a plan file/],
    ['an array', '[]', /is not a plan file/],
  ])('refuses %s', (_, input, message) => {
    expect(refusal(input)).toMatch(message);
  });

  it('refuses another version, saying which, without repeating what the file holds', () => {
    expect(refusal(edited((raw) => (raw['version'] = 3)))).toMatch(
      /is a plan of an unknown version \(3\): this action applies plans of version 2 only/,
    );
    expect(refusal(edited((raw) => (raw['version'] = 1)))).toMatch(
      /is a plan of an older version \(1\), whose deliveries given by ID would be sent without being checked again: this action applies plans of version 2 only; make a new plan/,
    );
    expect(refusal('{"version":4}')).toMatch(/unknown version \(4\)/);
    const secretish = refusal(edited((raw) => (raw['version'] = 'hunter2-secret')));
    expect(secretish).toMatch(/is a plan of no version number/);
    expect(secretish).not.toContain('hunter2');
    expect(refusal(edited((raw) => delete raw['version']))).toMatch(/no version number/);
  });

  it.each([
    ['digest', (raw: Record<string, unknown>) => (raw['digest'] = 'ABC'), /"digest" must be 64/],
    ['createdAt', (raw: Record<string, unknown>) => (raw['createdAt'] = 'soon'), /"createdAt"/],
    [
      'createdAt (another form)',
      (raw: Record<string, unknown>) => (raw['createdAt'] = 'Sun, 29 Nov 2026 12:00:00 GMT (x)'),
      /"createdAt" must be a date-time as a dry run writes it \(YYYY-MM-DDTHH:mm:ss\.sssZ\)/,
    ],
    [
      'createdAt (no such day)',
      (raw: Record<string, unknown>) => (raw['createdAt'] = '2026-02-30T12:00:00.000Z'),
      /"createdAt" must be a date-time as a dry run writes it/,
    ],
    [
      'delivery event (unknown: an older plan of explicit IDs)',
      (raw: Record<string, unknown>) =>
        (((raw['deliveries'] as Record<string, unknown>[])[0] as Record<string, unknown>)[
          'eventId'
        ] = null),
      /"deliveries\[0\]\.eventId" must be the event of the delivery/,
    ],
    [
      'delivery state (missing)',
      (raw: Record<string, unknown>) =>
        delete ((raw['deliveries'] as Record<string, unknown>[])[1] as Record<string, unknown>)[
          'state'
        ],
      /"deliveries\[1\]\.state" must be the state of the delivery/,
    ],
    ['apiUrl', (raw: Record<string, unknown>) => (raw['apiUrl'] = 3), /"apiUrl"/],
    [
      'apiUrl (not as a dry run writes it)',
      (raw: Record<string, unknown>) => (raw['apiUrl'] = 'https://app.hindsiteind.com/\n**x**'),
      /"apiUrl" must be an http\(s\) URL as a dry run writes it/,
    ],
    [
      'clientId (not printable)',
      (raw: Record<string, unknown>) => (raw['clientId'] = 'cid\n::add-mask::x'),
      /"clientId" must be a client ID \(at most 256 printable characters\)/,
    ],
    ['clientId', (raw: Record<string, unknown>) => delete raw['clientId'], /"clientId"/],
    ['selection', (raw: Record<string, unknown>) => (raw['selection'] = { a: 1 }), /"selection"/],
    ['deliveries', (raw: Record<string, unknown>) => (raw['deliveries'] = {}), /"deliveries"/],
    [
      'delivery (no id)',
      (raw: Record<string, unknown>) => ((raw['deliveries'] as unknown[])[1] = { state: 'x' }),
      /"deliveries\[1\]" must be an object with an "id"/,
    ],
    [
      'delivery field',
      (raw: Record<string, unknown>) =>
        (((raw['deliveries'] as Record<string, unknown>[])[0] as Record<string, unknown>)[
          'webhookId'
        ] = 5),
      /"deliveries\[0\]\.webhookId" must be a string or null/,
    ],
    [
      'delivery ID',
      (raw: Record<string, unknown>) =>
        (((raw['deliveries'] as Record<string, unknown>[])[1] as Record<string, unknown>)['id'] =
          'TOKEN=abc'),
      /"deliveries\[1\]\.id" must be a delivery ID/,
    ],
    [
      'delivery ID (planned twice)',
      (raw: Record<string, unknown>) =>
        (raw['deliveries'] as unknown[]).push((raw['deliveries'] as unknown[])[0]),
      /"deliveries\[2\]\.id" must be an ID not planned before/,
    ],
  ])('refuses a plan with a wrong %s', (_, edit, message) => {
    const refused = refusal(edited(edit));
    expect(refused).toMatch(message);
    expect(refused).not.toContain('TOKEN=abc');
  });

  it('refuses content that its digest does not match, and a digest that does not match its content', () => {
    const mismatch = /does not match its own digest: the plan was changed after it was made/;
    expect(
      refusal(edited((raw) => ((raw['deliveries'] as { id: string }[])[0]!.id = 'dlv_9'))),
    ).toMatch(mismatch);
    expect(refusal(edited((raw) => (raw['apiUrl'] = 'https://evil.example')))).toMatch(mismatch);
    expect(refusal(edited((raw) => (raw['deliveries'] = [])))).toMatch(mismatch);
    expect(refusal(edited((raw) => (raw['digest'] = '0'.repeat(64))))).toMatch(mismatch);
  });
});

describe('plan inputs', () => {
  it('reads plan-max-age as a duration, 24h by default', () => {
    expect(parsePlanMaxAge('')).toBe(24 * 3_600_000);
    expect(parsePlanMaxAge('30m')).toBe(30 * 60_000);
    expect(parsePlanMaxAge('7d')).toBe(7 * 86_400_000);
    for (const bad of ['0h', '1y', 'tomorrow', '3651d', '2026-11-28T00:00:00Z']) {
      const error = caught(InputError, () => parsePlanMaxAge(bad));
      expect([error.input, error.message]).toEqual([
        'plan-max-age',
        expect.stringMatching(/must be a duration such as 30m, 24h or 7d/),
      ]);
    }
  });

  it('reads plan-digest as 64 hex digits, in either case', () => {
    const digest = 'ab'.repeat(32);
    expect(parsePlanDigest(digest.toUpperCase())).toBe(digest);
    expect(parsePlanDigest('')).toBe('');
    expect(caught(InputError, () => parsePlanDigest('abc')).input).toBe('plan-digest');
  });
});

describe('readSettings with plan-file', () => {
  const plan = planOf([planned('dlv_1'), planned('dlv_2')], NOW.getTime() - 3_600_000);
  const files: Record<string, string> = { 'plan.json': JSON.stringify(plan) };
  const reader = (values: Record<string, string>): InputReader => ({
    get: (name) => (values[name] ?? '').trim(),
    readIdsFile: (path) => {
      if (path in files) return files[path] as string;
      throw new IdsFileError(`names a file that cannot be read (ENOENT): ${path}`);
    },
    now: () => NOW,
  });
  const base = { 'client-id': 'cid', 'client-secret': 'shh', 'plan-file': 'plan.json' };
  const refused = (values: Record<string, string>): InputError =>
    caught(InputError, () => readSettings(reader(values)));

  it('takes the checked plan as the source', () => {
    const settings = readSettings(reader({ ...base, 'plan-digest': plan.digest }));
    expect(settings.source).toEqual({
      kind: 'plan-file',
      path: 'plan.json',
      plan,
      ids: ['dlv_1', 'dlv_2'],
    });
    // The same API, written another way.
    expect(
      readSettings(
        reader({
          ...base,
          'api-url': 'https://APP.hindsiteind.com:443/',
          'plan-digest': plan.digest,
        }),
      ).source.kind,
    ).toBe('plan-file');
  });

  it.each([
    [
      { since: '1d' },
      'plan-file',
      /exactly one source of deliveries, not several: got since\/webhook-id \(discovery\) and plan-file/,
    ],
    [{ 'delivery-ids': 'a' }, 'plan-file', /exactly one source/],
    [
      { 'plan-digest': 'f'.repeat(64) },
      'plan-digest',
      /does not match the plan: it is not the plan that was approved, so nothing was sent; apply the approved dry run's plan file\. The approved digest is f{64}, the plan file's is [0-9a-f]{64}\.$/,
    ],
    [{ 'plan-digest': 'nope' }, 'plan-digest', /64 hex digits/],
    [
      { 'api-url': 'https://eu.hindsiteind.com' },
      'plan-file',
      /another API origin \(https:\/\/app.hindsiteind.com\) than this run's api-url \(https:\/\/eu.hindsiteind.com\)/,
    ],
    [{ 'api-url': 'https://app.hindsiteind.com/v2' }, 'plan-file', /another API origin/],
    [
      { 'client-id': 'other' },
      'plan-file',
      /another client ID or access-token \(client ID cid\) than this run's \(client ID other\)/,
    ],
    [
      { 'client-id': '', 'client-secret': '', 'access-token': 't' },
      'plan-file',
      /another client ID or access-token \(client ID cid\) than this run's \(an access-token\)/,
    ],
    [
      { 'plan-max-age': '30m' },
      'plan-file',
      /has expired: made at 2026-11-29T11:00:00.000Z, 1 h ago, it is older than plan-max-age \(30m\)/,
    ],
    [{ 'plan-max-age': 'soon' }, 'plan-max-age', /must be a duration/],
    [
      { 'plan-file': 'missing.json' },
      'plan-file',
      /^Input plan-file names a file that cannot be read \(ENOENT\): missing.json; nothing was sent\.$/,
    ],
  ])('refuses %j, naming %s', (values, input, message) => {
    const error = refused({ ...base, 'plan-digest': plan.digest, ...values });
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
  });

  it('refuses plan-digest without plan-file, and a plan from the future', () => {
    const { 'plan-file': _, ...noPlan } = base;
    expect(refused({ ...noPlan, since: '1d', 'plan-digest': plan.digest }).input).toBe(
      'plan-digest',
    );
    const future = planOf([planned('dlv_1')], NOW.getTime() + 3_600_000);
    files['future.json'] = JSON.stringify(future);
    expect(
      refused({ ...base, 'plan-file': 'future.json', 'plan-digest': future.digest }).message,
    ).toMatch(/made in the future \(2026-11-29T13:00:00.000Z\)/);
  });

  it('refuses plan-file without plan-digest before reading the file: it cannot vouch for itself', () => {
    for (const path of ['plan.json', 'missing.json']) {
      const error = refused({ ...base, 'plan-file': path });
      expect([error.input, error.message]).toEqual([
        'plan-digest',
        'Input plan-digest is required with plan-file: pass the plan-digest output of the dry run that was approved. A plan file cannot vouch for itself (anyone who can change it can recompute its digest); nothing was sent.',
      ]);
    }
  });
});

describe('re-checking a plan', () => {
  it('lists the smallest window that covers the plan', () => {
    expect(
      recheckFilters([
        planned('a', { createdAt: '2026-11-29T10:00:00.000Z' }),
        planned('b', { createdAt: '2026-11-29T08:00:00.000Z' }),
      ]),
    ).toEqual({
      since: new Date(Date.parse('2026-11-29T08:00:00.000Z') - RECHECK_MARGIN_MS),
      webhookId: 'wh_orders',
    });
    expect(
      recheckFilters([planned('a'), planned('b', { webhookId: 'wh_reports', createdAt: null })]),
    ).toEqual({ since: undefined, webhookId: undefined });
  });

  it('keeps what is unchanged, and skips what changed', async () => {
    const plan = planOf([planned('keep'), planned('retried'), planned('done'), planned('gone')]);
    const row = (id: string, eventId: string, state: string, createdAt: string): Delivery => ({
      id,
      eventId,
      webhookId: 'wh_orders',
      state,
      createdAt,
      response: null,
    });
    const listed = [
      row('keep', 'evt_keep', 'errored', '2026-11-29T10:00:00.000Z'),
      row('retried', 'evt_retried', 'errored', '2026-11-29T10:00:00.000Z'),
      row('new_1', 'evt_retried', 'pending', '2026-11-29T11:00:00.000Z'),
      row('done', 'evt_done', 'completed', '2026-11-29T10:00:00.000Z'),
    ];
    const queries: number[] = [];
    const selection = await selectFromPlan(
      { kind: 'plan-file', path: 'p.json', plan, ids: [] },
      async (_filters, page) => {
        queries.push(page);
        return page === 1 ? listed : [];
      },
      1,
    );
    expect(selection.ids).toEqual(['keep']);
    expect(selection.skippedCount).toBe(3);
    expect(selection.planCheck).toMatchObject({ planned: 4, rechecked: 4 });
    expect(selection.planCheck?.changed).toEqual([
      expect.objectContaining({
        id: 'retried',
        reason: 'changed since the plan',
        newestId: 'new_1',
        newestState: 'pending',
      }),
      expect.objectContaining({ id: 'done', newestId: 'done', newestState: 'completed' }),
      expect.objectContaining({ id: 'gone', newestId: null, newestState: null }),
    ]);
    expect(queries).toEqual([1, 2]);
  });

  it('checks each planned delivery in its own state and for its own event', async () => {
    // Explicit IDs plan whatever state each delivery was in: one errored, one completed.
    const plan = planOf([
      planned('was_errored'),
      planned('still_completed', { state: 'completed' }),
      planned('other_event', { eventId: 'evt_planned' }),
    ]);
    const listed: Delivery[] = [
      { ...asDelivery(planned('was_errored')), state: 'completed' },
      { ...asDelivery(planned('still_completed')), state: 'completed' },
      { ...asDelivery(planned('other_event')), eventId: 'evt_listed' },
    ];
    const selection = await selectFromPlan(
      { kind: 'plan-file', path: 'p.json', plan, ids: [] },
      async (_filters, page) => (page === 1 ? listed : []),
      1,
    );
    expect(selection.ids).toEqual(['still_completed']);
    expect(selection.planCheck?.changed.map((delivery) => delivery.id)).toEqual([
      'was_errored',
      'other_event',
    ]);
  });

  it('lists nothing for an empty plan', async () => {
    const selection = await selectFromPlan(
      { kind: 'plan-file', path: 'p.json', plan: planOf([]), ids: [] },
      () => Promise.reject(new Error('no list call expected')),
      1,
    );
    expect(selection.ids).toEqual([]);
    expect(selection.pagesRead).toBe(0);
  });
});
