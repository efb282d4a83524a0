import type { Clock } from '../model/clock.js';
import type { TokenReply } from './wire.js';

/** Renew a token this long before the server says it expires. */
const TOKEN_EXPIRY_MARGIN_MS = 60_000;
/** Trust the server's issue time only when our clocks agree this closely. */
const CLOCK_AGREEMENT_MS = 5 * 60_000;

/**
 * When to stop using a token: a minute before it expires, or at half its life for a short-lived
 * one (a minute early could be never).
 */
export function renewAtMs(reply: TokenReply, nowMs: number): number {
  const createdAt = reply.createdAtSeconds === undefined ? nowMs : reply.createdAtSeconds * 1000;
  const issuedAt = Math.abs(createdAt - nowMs) < CLOCK_AGREEMENT_MS ? createdAt : nowMs;
  const lifetimeMs = reply.expiresInSeconds * 1000;
  return issuedAt + lifetimeMs - Math.min(TOKEN_EXPIRY_MARGIN_MS, lifetimeMs / 2);
}

/**
 * The access token's life: obtained on first use, shared by concurrent calls (one exchange at a
 * time), renewed before it expires, and dropped when a call is refused with it.
 */
export class TokenSource {
  private token?: { value: string; renewAtMs: number };
  private exchanging?: Promise<{ value: string; renewAtMs: number }>;

  constructor(
    private readonly exchange: () => Promise<TokenReply>,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  async bearer(): Promise<string> {
    if (this.token && this.clock.now() < this.token.renewAtMs) return this.token.value;
    this.exchanging ??= this.exchange()
      .then((reply) => ({
        value: reply.accessToken,
        renewAtMs: renewAtMs(reply, this.clock.now()),
      }))
      .finally(() => {
        this.exchanging = undefined;
      });
    this.token = await this.exchanging;
    return this.token.value;
  }

  /** Drops the token a call was refused with, unless another call already replaced it. */
  forget(token: string): void {
    if (this.token?.value === token) this.token = undefined;
  }
}
