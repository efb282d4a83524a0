import * as core from '@actions/core';
import { inert, type Logger } from '../model/log.js';
import type { Redactor } from '../model/redact.js';
import { printable } from '../model/text.js';

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
