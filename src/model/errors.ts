/**
 * Failures a user can act on. Anything else that reaches main() is a bug and is reported with its
 * stack in the debug log only.
 */
/**
 * What a failed call means for the IDs it carried:
 * - `not-sent`: the request never reached the server (connection refused, DNS failure);
 * - `refused`: the server answered and did not act: safe to send again once the cause is fixed;
 * - `unknown`: the server may have acted: check before sending again.
 */
export type CallOutcome = 'not-sent' | 'refused' | 'unknown';

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

/** The text of anything thrown (an error from another realm, such as a VM context, included). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
