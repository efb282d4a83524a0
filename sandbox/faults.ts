/**
 * Fault injection: a queue of faults per route, and what a fault does to the reply. Delays, resets
 * and truncation act on the connection, so the server applies those; this module decides which
 * fault a request meets and which reply the client is sent.
 */
import { JSON_CONTENT_TYPE, jsonReply, withHeaders, type Reply } from './http.js';
import type { Fault, RecordedRequest, Route } from './types.js';

interface QueuedFault {
  fault: Fault;
  remaining: number;
  skip: number;
}

export class FaultQueue {
  private readonly queues = new Map<Route, QueuedFault[]>();

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new RangeError(`fault.times must be >= 1, got ${times}`);
    if (fault.delayMs !== undefined) checkDelay(fault.delayMs, 'fault.delayMs');
    if (fault.rewrite && fault.body !== undefined) {
      throw new RangeError('fault.rewrite and fault.body exclude each other');
    }
    const queue = this.queues.get(fault.route) ?? [];
    queue.push({ fault: { ...fault }, remaining: times, skip: fault.skip ?? 0 });
    this.queues.set(fault.route, queue);
  }

  clear(): void {
    this.queues.clear();
  }

  /**
   * The fault this request meets, if any: the first queued fault of its route whose `when` accepts
   * it. A request it lets through (`skip`) or meets counts against that fault.
   */
  take(route: Route, request: RecordedRequest): Fault | undefined {
    const queue = this.queues.get(route);
    if (!queue) return undefined;
    const index = queue.findIndex(({ fault }) => !fault.when || fault.when(request));
    const first = queue[index];
    if (!first) return undefined;
    if (first.skip > 0) {
      first.skip -= 1;
      return undefined;
    }
    first.remaining -= 1;
    if (first.remaining <= 0) queue.splice(index, 1);
    return first.fault;
  }
}

/** Whether the fault answers in the server's place, so the real handler must not act for it. */
function isCanned(fault: Fault): boolean {
  return !fault.rewrite && (fault.status !== undefined || fault.body !== undefined);
}

/**
 * What the client is sent under `fault`: its canned reply, or else the real one, with the fault's
 * headers over either. `real` is only called when the real reply is sent, so that a canned fault
 * leaves the store untouched.
 */
export function faultedReply(fault: Fault | undefined, real: () => Reply): Reply {
  if (!fault) return real();
  if (fault.rewrite) return withHeaders(rewritten(real(), fault), fault.headers);
  return withHeaders(isCanned(fault) ? cannedReply(fault) : real(), fault.headers);
}

/** The real reply with its JSON body reshaped by `fault.rewrite`, and its status replaced if asked. */
function rewritten(reply: Reply, fault: Fault): Reply {
  const status = fault.status ?? reply.status;
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    return { ...reply, status };
  }
  return { ...reply, status, body: JSON.stringify(fault.rewrite?.(body)) };
}

function cannedReply(fault: Fault): Reply {
  const status = fault.status ?? 500;
  if (fault.body === undefined) {
    const description = `Injected sandbox fault (HTTP ${status})`;
    return jsonReply(status, { error: 'sandbox_fault', error_description: description });
  }
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE }, body: fault.body };
}

/** A delay in ms: `Infinity` is allowed (it stalls until the sandbox closes), NaN and < 0 are not. */
export function checkDelay(ms: number, name: string): number {
  if (Number.isNaN(ms) || ms < 0) throw new RangeError(`${name} must be >= 0, got ${ms}`);
  return ms;
}
