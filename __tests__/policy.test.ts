import { describe, expect, it } from '@jest/globals';
import type { CallOutcome } from '../src/model/errors.js';
import {
  renderPolicyTable,
  RETRY_POLICY,
  ruleFor,
  statusKind,
  type Endpoint,
  type FailureKind,
} from '../src/hindsite/policy.js';

/**
 * Every failure kind, once. Typed as a Record so that the compiler fails this test when a kind is
 * added to (or removed from) FailureKind without this list, and so without a row to check.
 */
const EVERY_KIND: Record<FailureKind, true> = {
  'not-connected': true,
  'tls-handshake': true,
  timeout: true,
  'connection-lost': true,
  unreadable: true,
  'status-3xx': true,
  'status-400-401': true,
  'status-403': true,
  'status-404-405': true,
  'status-4xx': true,
  'status-429': true,
  'status-5xx': true,
};
const KINDS = Object.keys(EVERY_KIND) as FailureKind[];
const ENDPOINTS: Endpoint[] = ['token', 'list', 'bulk'];

const retriedOn = (endpoint: Endpoint): FailureKind[] =>
  KINDS.filter((kind) => ruleFor(endpoint, kind).retry);

describe('RETRY_POLICY', () => {
  it('has exactly one row for every failure kind, with a rule for every endpoint', () => {
    expect(RETRY_POLICY.map((row) => row.kind)).toEqual(KINDS);
    expect(new Set(RETRY_POLICY.map((row) => row.label)).size).toBe(RETRY_POLICY.length);
    for (const row of RETRY_POLICY) {
      expect(Object.keys(row.rules).sort()).toEqual([...ENDPOINTS].sort());
    }
    for (const endpoint of ENDPOINTS) {
      for (const kind of KINDS) {
        const rule = ruleFor(endpoint, kind);
        expect(rule).toBeDefined();
        expect(typeof rule.retry).toBe('boolean');
        // Messages are "<what failed>. <advice>", and more may follow: a sentence of its own.
        expect(rule.advice).toMatch(/^[A-Z].*\.$/);
      }
    }
  });

  it('repeats a bulk call only where HINDSITE certainly did not act: not-connected, 429', () => {
    expect(retriedOn('bulk')).toEqual(['not-connected', 'status-429']);
    expect(ruleFor('bulk', 'not-connected').outcome).toBe('not-sent');
    expect(ruleFor('bulk', 'status-429').outcome).toBe('refused');
  });

  it.each<FailureKind>(['timeout', 'connection-lost', 'unreadable', 'status-3xx', 'status-5xx'])(
    'never repeats a bulk call after %s: the outcome is unknown',
    (kind) => {
      const rule = ruleFor('bulk', kind);
      expect(rule.retry).toBe(false);
      expect(rule.outcome).toBe('unknown');
      expect(rule.advice).toMatch(/may have created redeliveries/);
    },
  );

  it('never repeats a bulk call whose outcome may be that HINDSITE acted', () => {
    for (const kind of KINDS) {
      const rule = ruleFor('bulk', kind);
      if (rule.retry) expect(rule.outcome).not.toBe('unknown');
    }
  });

  it.each<Endpoint>(['token', 'list'])(
    'repeats a %s call on 5xx, 429, and transport failures (it creates nothing)',
    (endpoint) => {
      expect(retriedOn(endpoint)).toEqual([
        'not-connected',
        'timeout',
        'connection-lost',
        'unreadable',
        'status-429',
        'status-5xx',
      ]);
    },
  );

  it.each<Endpoint>(['token', 'list'])(
    'leaves every ID unsent when a %s call fails (it carries none)',
    (endpoint) => {
      const outcomes = new Set<CallOutcome>(KINDS.map((kind) => ruleFor(endpoint, kind).outcome));
      expect([...outcomes]).toEqual(['not-sent']);
    },
  );

  it('marks a refused bulk call refused: the server answered and did nothing', () => {
    for (const kind of ['status-400-401', 'status-403', 'status-404-405', 'status-4xx'] as const) {
      expect(ruleFor('bulk', kind)).toMatchObject({ retry: false, outcome: 'refused' });
    }
  });

  it('never repeats a failed TLS handshake, and points at the certificate', () => {
    for (const endpoint of ENDPOINTS) {
      const rule = ruleFor(endpoint, 'tls-handshake');
      expect(rule).toMatchObject({ retry: false, outcome: 'not-sent' });
      expect(rule.advice).toBe(
        "Check api-url and the server's certificate (a private CA is trusted through NODE_EXTRA_CA_CERTS).",
      );
    }
  });

  it('tells the user what to do about each refusal of the token endpoint', () => {
    expect(ruleFor('token', 'status-400-401').advice).toMatch(/Check client-id and client-secret/);
    expect(ruleFor('token', 'status-403').advice).toMatch(/not allowed to obtain tokens/);
    expect(ruleFor('token', 'status-404-405').advice).toMatch(/No token endpoint there/);
    expect(ruleFor('list', 'status-403').advice).toMatch(/not an admin/);
    expect(ruleFor('bulk', 'status-403').advice).toMatch(/not an admin/);
  });
});

describe('statusKind', () => {
  it.each<[number, FailureKind]>([
    [400, 'status-400-401'],
    [401, 'status-400-401'],
    [403, 'status-403'],
    [404, 'status-404-405'],
    [405, 'status-404-405'],
    [402, 'status-4xx'],
    [409, 'status-4xx'],
    [410, 'status-4xx'],
    [422, 'status-4xx'],
    [429, 'status-429'],
    [499, 'status-4xx'],
    [500, 'status-5xx'],
    [501, 'status-5xx'],
    [502, 'status-5xx'],
    [503, 'status-5xx'],
    [301, 'status-3xx'],
    [303, 'status-3xx'],
    [307, 'status-3xx'],
    [504, 'status-5xx'],
    [599, 'status-5xx'],
  ])('maps HTTP %i to %s', (status, kind) => {
    expect(statusKind(status)).toBe(kind);
  });
});

describe('renderPolicyTable', () => {
  it('renders one row per failure kind, from the rules', () => {
    const lines = renderPolicyTable().split('\n');
    expect(lines[0]).toBe(
      '| Failure | Token exchange | List (discovery, wait) | Bulk redelivery |',
    );
    expect(lines).toHaveLength(2 + KINDS.length);
    expect(lines).toContain(
      '| 500, 502, 503, 504, other 5xx (Retry-After honoured up to 60 s where retried) | retried | retried | not retried; IDs outcome unknown |',
    );
    expect(lines).toContain(
      '| 429 (Retry-After honoured up to 60 s) | retried | retried | retried; then IDs refused |',
    );
    expect(lines).toContain(
      '| No connection: refused, DNS failure, or not connected (through the proxy) within timeout-seconds; nothing was written | retried | retried | retried; then IDs unsent |',
    );
  });
});
