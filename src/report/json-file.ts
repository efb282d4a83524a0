/**
 * Writes a JSON object to a file in pieces, through a redactor, readable by its owner only: one
 * JSON string of 100,000 IDs would double peak memory, and no file the action writes may hold a
 * secret.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const CHUNK = 1000;

/** Writes `{"key":value,...}` in the order given; arrays are written CHUNK elements at a time. */
export function writeJsonFile(
  path: string,
  entries: readonly [string, unknown][],
  redact: (text: string) => string,
): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    const write = (text: string): void => void writeSync(fd, redact(text));
    entries.forEach(([key, value], index) => {
      write(`${index === 0 ? '{' : ','}${JSON.stringify(key)}:`);
      if (!Array.isArray(value)) return write(JSON.stringify(value));
      for (let start = 0; start < value.length || start === 0; start += CHUNK) {
        const chunk = JSON.stringify(value.slice(start, start + CHUNK)).slice(1, -1);
        write(`${start === 0 ? '[' : chunk ? ',' : ''}${chunk}`);
      }
      write(']');
    });
    write('}\n');
  } finally {
    closeSync(fd);
  }
}
