/**
 * The seams of the structure, each at its own level: the real clock, the pipeline's verdicts for
 * a bug and for a job cancelled before it sent anything.
 */
import { describe, expect, it } from '@jest/globals';
import type { HindsiteClient } from '../src/hindsite/client.js';
import { systemClock } from '../src/model/clock.js';
import { errorMessage } from '../src/model/errors.js';
import { readSettings } from '../src/settings/inputs.js';
import { runPipeline } from '../src/run/pipeline.js';
import { RecordingLogger } from './support/logger.js';
import { VirtualClock } from './support/virtual-clock.js';

describe('systemClock', () => {
  it('tells the time, waits, and ends a wait early when aborted', async () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    const random = systemClock.random();
    expect(random >= 0 && random < 1).toBe(true);
    const started = Date.now();
    await systemClock.sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    const abort = new AbortController();
    const waiting = systemClock.sleep(60_000, abort.signal);
    abort.abort();
    await waiting;
    await systemClock.sleep(60_000, abort.signal);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('runs a deadline unless cancelled', async () => {
    const fired: string[] = [];
    systemClock.deadline(10, () => fired.push('kept'));
    const cancel = systemClock.deadline(10, () => fired.push('cancelled'));
    cancel();
    await systemClock.sleep(40);
    expect(fired).toEqual(['kept']);
  });
});

describe('errorMessage', () => {
  it('is the message of an Error and the text of anything else', () => {
    expect(errorMessage(new TypeError('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage({ message: 'from another realm' })).toBe('from another realm');
    expect(errorMessage(null)).toBe('null');
  });
});

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
