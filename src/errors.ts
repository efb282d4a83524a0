/**
 * Failures a user can act on. Anything else that reaches main() is a bug and is reported with its
 * stack in the debug log only.
 */
import type { CallOutcome } from './domain.js';

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
