/**
 * Reads the file named by `delivery-ids-file`, within limits: a path from a workflow may name a
 * FIFO (which would block the step for ever), a device, or a file far larger than any list of IDs.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

const MAX_IDS_FILE_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

/** Why the file cannot serve as a list of IDs: completes "Input delivery-ids-file …". */
export class IdsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdsFileError';
  }
}

/**
 * The file's text. Refuses anything but a regular file before opening it, refuses a file whose
 * size is over the limit without reading it, and stops reading one byte past the limit, because a
 * size from stat can be wrong (files under /proc say 0).
 */
export function readIdsFile(path: string, limitBytes = MAX_IDS_FILE_BYTES): string {
  checkShape(
    attempt(path, () => statSync(path)),
    path,
    limitBytes,
  );
  // Non-blocking, so that a FIFO put in place since the stat cannot hang the open; the fstat that
  // follows refuses it.
  const fd = attempt(path, () => openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)));
  try {
    checkShape(fstatSync(fd), path, limitBytes);
    const chunks: Buffer[] = [];
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let total = 0;
    for (;;) {
      const want = Math.min(CHUNK_BYTES, limitBytes + 1 - total);
      const read = attempt(path, () => readSync(fd, chunk, 0, want, null));
      if (read === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, read)));
      total += read;
      if (total > limitBytes) {
        throw new IdsFileError(`${mustBe(limitBytes)}; got more than that when read: ${path}`);
      }
    }
    return decodeUtf8(Buffer.concat(chunks, total), path);
  } finally {
    closeSync(fd);
  }
}

function attempt<T>(path: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new IdsFileError(`names a file that cannot be read (${code}): ${path}`);
  }
}

function checkShape(stats: Stats, path: string, limitBytes: number): void {
  if (!stats.isFile())
    throw new IdsFileError(`${mustBe(limitBytes)}; got ${kindOf(stats)}: ${path}`);
  if (stats.size > limitBytes) {
    throw new IdsFileError(`${mustBe(limitBytes)}; got ${stats.size} bytes: ${path}`);
  }
}

function mustBe(limitBytes: number): string {
  const limit =
    limitBytes % (1024 * 1024) === 0 ? `${limitBytes / (1024 * 1024)} MiB` : `${limitBytes} bytes`;
  return `must be a regular file of at most ${limit}`;
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'something other than a regular file';
}

/** Strict UTF-8: bytes that are not text must not become IDs with U+FFFD in them. */
function decodeUtf8(bytes: Buffer, path: string): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    // Only on failure: find the first line that does not decode, to point the user at it.
    let line = 1;
    for (let start = 0; start < bytes.length; line++) {
      const end = bytes.indexOf(0x0a, start);
      const stop = end === -1 ? bytes.length : end;
      try {
        decoder.decode(bytes.subarray(start, stop));
      } catch {
        break;
      }
      start = stop + 1;
    }
    throw new IdsFileError(`must be UTF-8 text; line ${line} is not: ${path}`);
  }
}
