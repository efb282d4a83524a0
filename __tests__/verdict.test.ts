import { describe, expect, it } from '@jest/globals';
import { ApiError, InputError } from '../src/model/errors.js';
import { decideVerdict, type StageOutcomes } from '../src/run/verdict.js';

const refused = new ApiError('HINDSITE answered 403', 'refused', 403);

describe('decideVerdict', () => {
  it.each<[string, StageOutcomes, unknown]>([
    ['nothing happened', {}, { kind: 'ok' }],
    ['nothing selected', { send: { kind: 'nothing-selected' } }, { kind: 'ok' }],
    ['everything sent', { send: { kind: 'sent' } }, { kind: 'ok' }],
    [
      'over the cap',
      { send: { kind: 'over-cap', selected: 5, cap: 2 } },
      { kind: 'over-cap', selected: 5, cap: 2 },
    ],
    ['a dry run', { send: { kind: 'dry-run', bulkCalls: 3 } }, { kind: 'dry-run', bulkCalls: 3 }],
    ['selecting failed', { selectFailed: refused }, { kind: 'api-failed', error: refused }],
    [
      'the token exchange failed',
      { send: { kind: 'not-authenticated', error: refused } },
      { kind: 'api-failed', error: refused },
    ],
    [
      'a bulk call failed',
      { send: { kind: 'batches-failed', first: refused } },
      { kind: 'batches-failed', first: refused },
    ],
    [
      'the canary did not pass',
      { send: { kind: 'canary-not-passed', timeoutMs: 600_000 } },
      { kind: 'canary-refused', timeoutMs: 600_000 },
    ],
    [
      'sent, but not settled',
      { send: { kind: 'sent', unsettled: { timeoutMs: 1000 } }, droppedAgainstFailOnDropped: 2 },
      { kind: 'not-settled', timeoutMs: 1000 },
    ],
    [
      'sent, with IDs dropped and fail-on-dropped',
      { send: { kind: 'sent' }, droppedAgainstFailOnDropped: 2 },
      { kind: 'dropped' },
    ],
    [
      'cancelled, whatever else failed',
      { cancelledBy: 'SIGTERM', send: { kind: 'batches-failed', first: refused } },
      { kind: 'cancelled', signal: 'SIGTERM' },
    ],
  ])('%s', (_what, outcomes, verdict) => {
    expect(decideVerdict(outcomes)).toEqual(verdict);
  });

  it('says a refused input is the input, before anything else', () => {
    const thrown = new InputError('since', 'Input since is not a date.');
    expect(decideVerdict({ thrown, cancelledBy: 'SIGINT' })).toEqual({
      kind: 'input-refused',
      message: 'Input since is not a date.',
    });
  });

  it('says a bug is a bug, even in a cancelled run, with its stack for the debug log', () => {
    const thrown = new TypeError('x is undefined');
    const verdict = decideVerdict({ thrown, cancelledBy: 'SIGINT', send: { kind: 'sent' } });
    expect(verdict).toMatchObject({ kind: 'unexpected', message: 'x is undefined' });
    expect(verdict.kind === 'unexpected' && verdict.stack).toContain('TypeError');
    expect(decideVerdict({ thrown: 'a string' })).toEqual({
      kind: 'unexpected',
      message: 'a string',
      stack: undefined,
    });
  });
});
