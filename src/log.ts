import * as core from '@actions/core';
import type { Redactor } from './redact.js';

/** Every line the action prints goes through here, so that none can carry a secret. */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

export function runnerLogger(redactor: Redactor): Logger {
  return {
    info: (message) => core.info(redactor.redact(message)),
    warning: (message) => core.warning(redactor.redact(message)),
    debug: (message) => core.debug(redactor.redact(message)),
  };
}
