/** The token's renewal time, and who may drop it. */
import { describe, expect, it } from '@jest/globals';
import { renewAtMs, TokenSource } from '../src/hindsite/token.js';
import { VirtualClock } from './support/virtual-clock.js';

describe('token renewal', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);

  it('counts the lifetime from the server’s issue time when the clocks agree', () => {
    const issued = now - 90_000;
    const reply = { accessToken: 't', expiresInSeconds: 7200, createdAtSeconds: issued / 1000 };
    expect(renewAtMs(reply, now)).toBe(issued + 7200_000 - 60_000);
  });

  it('counts from our own time when the server’s clock is far off', () => {
    const reply = {
      accessToken: 't',
      expiresInSeconds: 7200,
      createdAtSeconds: (now + 3600_000) / 1000,
    };
    expect(renewAtMs(reply, now)).toBe(now + 7200_000 - 60_000);
  });

  it('keeps its token when told to forget another one, and drops it when told to forget it', async () => {
    const clock = new VirtualClock(now);
    let exchanges = 0;
    const tokens = new TokenSource(
      async () => ({ accessToken: `t${++exchanges}`, expiresInSeconds: 7200 }),
      clock,
    );
    expect(await tokens.bearer()).toBe('t1');
    // A call refused with an older token must not throw away the one that replaced it.
    tokens.forget('t0');
    expect(await tokens.bearer()).toBe('t1');
    expect(exchanges).toBe(1);
    tokens.forget('t1');
    expect(await tokens.bearer()).toBe('t2');
    expect(exchanges).toBe(2);
  });
});
