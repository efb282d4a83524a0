/**
 * runPipeline's verdicts for a bug (an Error, or something else thrown) and for a job cancelled
 * before it sent anything; every ID is still accounted for.
 */
import { describe, expect, it } from '@jest/globals';
import type { HindsiteClient } from '../src/hindsite/client.js';
import { readSettings } from '../src/settings/inputs.js';
import { runPipeline } from '../src/run/pipeline.js';
import { RecordingLogger } from './support/logger.js';
import { VirtualClock } from './support/virtual-clock.js';

const settings = (extra: Record<string, string>) =>
  readSettings({
    get: (name) =>
      ({ 'client-id': 'id', 'client-secret': 'secret', 'api-url': 'http://127.0.0.1:9', ...extra })[
        name
      ] ?? '',
    readIdsFile: () => '',
    now: () => new Date(),
  });

/** A client whose every call fails as a bug would: not with an ApiError. */
const brokenClient = {
  listDeliveries: () => Promise.reject(new TypeError('cannot read properties of undefined')),
  authenticate: () => Promise.reject(new TypeError('authenticate is broken')),
  redeliver: () => Promise.reject(new TypeError('redeliver is broken')),
} as unknown as HindsiteClient;

describe('runPipeline', () => {
  it('turns a bug into the unexpected verdict, with the stack for the debug log', async () => {
    const result = await runPipeline(settings({ since: '1h' }), {
      client: brokenClient,
      log: new RecordingLogger(),
      clock: new VirtualClock(),
    });
    expect(result.verdict).toMatchObject({
      kind: 'unexpected',
      message: 'cannot read properties of undefined',
      stack: expect.stringContaining('TypeError'),
    });
  });

  it('still accounts for every ID when a bug stops the run after selection', async () => {
    const result = await runPipeline(settings({ 'delivery-ids': 'a,b' }), {
      client: brokenClient,
      log: new RecordingLogger(),
      clock: new VirtualClock(),
    });
    expect(result.verdict).toMatchObject({ kind: 'unexpected', message: 'authenticate is broken' });
    expect(result.ledger?.unsent).toEqual(['a', 'b']);
  });

  it('sends nothing when the job was cancelled before the first call, and says so', async () => {
    const cancel = new AbortController();
    cancel.abort('SIGTERM');
    const result = await runPipeline(settings({ 'delivery-ids': 'a,b' }), {
      client: brokenClient,
      log: new RecordingLogger(),
      clock: new VirtualClock(),
      cancel: cancel.signal,
    });
    expect(result.verdict).toEqual({ kind: 'cancelled', signal: 'SIGTERM' });
    expect(result.ledger?.unsent).toEqual(['a', 'b']);
  });
});

describe('runPipeline, a bug that throws something other than an Error', () => {
  it('is the unexpected verdict, without a stack to print', async () => {
    const settings = readSettings({
      get: (name) =>
        ({ 'access-token': 'tok', 'api-url': 'http://127.0.0.1:9', since: '1h' })[name] ?? '',
      readIdsFile: () => '',
      now: () => new Date(),
    });
    const client = {
      // A bug that throws a string, not an Error: what the rule is for, here on purpose.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      listDeliveries: () => Promise.reject('list is broken'),
    } as unknown as HindsiteClient;
    const result = await runPipeline(settings, {
      client,
      log: new RecordingLogger(),
      clock: new VirtualClock(),
    });
    expect(result.verdict).toEqual({
      kind: 'unexpected',
      message: 'list is broken',
      stack: undefined,
    });
  });
});
