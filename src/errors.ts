/**
 * Failures a user can act on. Anything else that reaches main() is a bug and is reported with its
 * stack in the debug log only.
 */

/** A workflow input is missing or not allowed. Raised before any request is made. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * What a failed call means for the IDs it carried:
 * - `not-sent`: the request never reached the server (connection refused, DNS failure);
 * - `rejected`: the server answered and refused (4xx, or 503 after every attempt): nothing was done;
 * - `unknown`: the server may have acted (500, 502, 504, timeout, reset, unreadable 2xx).
 */
export type CallOutcome = 'not-sent' | 'rejected' | 'unknown';

/** A HINDSITE call failed after the retry policy gave up. `message` is written for the user. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly outcome: CallOutcome,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The run was stopped on purpose before sending anything (e.g. the safety cap). */
export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}
