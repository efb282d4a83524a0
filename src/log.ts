import * as core from '@actions/core';
import type { Redactor } from './redact.js';

/** Every line the action prints goes through here, so that none can carry a secret. */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
  /** Lines logged while `work` runs are folded under `title` in the runner's log. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
}

export function runnerLogger(redactor: Redactor): Logger {
  return {
    info: (message) => core.info(redactor.redact(message)),
    warning: (message) => core.warning(redactor.redact(message)),
    debug: (message) => core.debug(redactor.redact(message)),
    group: (title, work) => core.group(redactor.redact(title), work),
  };
}
