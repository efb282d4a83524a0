import * as core from '@actions/core';
import type { Redactor } from './redact.js';
import { printable } from './text.js';

/** Every line the action prints goes through here, so that none can carry a secret. */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
  /** Lines logged while `work` runs are folded under `title` in the runner's log. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
}

/**
 * Lines go out redacted and printable (see text.ts). `core.warning`, `debug` and `group` wrap them
 * in a workflow command of their own; `core.info` prints them as they are, so a plain line is also
 * kept from being read as a command (see `inert`).
 */
export function runnerLogger(redactor: Redactor): Logger {
  const clean = (message: string): string => printable(redactor.redact(message));
  return {
    info: (message) => core.info(inert(clean(message))),
    warning: (message) => core.warning(clean(message)),
    debug: (message) => core.debug(clean(message)),
    group: (title, work) => core.group(clean(title), work),
  };
}

/**
 * A plain log line that the runner cannot take for a workflow command: it reads `::name::` at the
 * start of a line (after spaces) and the legacy `##[name]` anywhere in one, so a server's text such
 * as `::add-mask::…` or `##[set-output name=…]` could mask the log or set an output. A backslash
 * breaks each, visibly.
 */
export function inert(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(\s*)::/, '$1\\::').replace(/##\[/g, '##\\['))
    .join('\n');
}
