/** Every line the action prints goes through here, so that none can carry a secret. */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
  /** Lines logged while `work` runs are folded under `title` in the runner's log. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
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
