import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { IdsFileError, readIdsFile } from '../src/settings/ids-file.js';
import { caught } from './support/caught.js';
import { scratchDir } from './support/scratch.js';

const dir = scratchDir('ids-file-');
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const refusal = (path: string, limitBytes?: number): IdsFileError =>
  caught(IdsFileError, () => readIdsFile(path, limitBytes));

describe('readIdsFile', () => {
  it('reads a regular file, and one behind a symbolic link, as UTF-8 without a BOM', () => {
    const path = file('ids.txt', '\uFEFFdlv_1\ndlv_é\n');
    expect(readIdsFile(path)).toBe('dlv_1\ndlv_é\n');
    symlinkSync(path, join(dir, 'link'));
    expect(readIdsFile(join(dir, 'link'))).toBe('dlv_1\ndlv_é\n');
  });

  it('reads a file of exactly the limit and refuses one byte more without reading it', () => {
    expect(readIdsFile(file('at-limit', 'a'.repeat(16)), 16)).toHaveLength(16);
    expect(refusal(file('over-limit', 'a'.repeat(17)), 16).message).toBe(
      `must be a regular file of at most 16 bytes; got 17 bytes: ${join(dir, 'over-limit')}`,
    );
  });

  it('refuses a 2 GB file from its size at once', () => {
    const path = file('huge', '');
    truncateSync(path, 2 * 1024 ** 3);
    expect(refusal(path).message).toBe(
      `must be a regular file of at most 64 MiB; got 2147483648 bytes: ${path}`,
    );
  });

  (existsSync('/proc/self/environ') ? it : it.skip)(
    'stops reading past the limit when the size stat gives is wrong (/proc says 0)',
    () => {
      expect(refusal('/proc/self/environ', 8).message).toBe(
        'must be a regular file of at most 8 bytes; got more than that when read: /proc/self/environ',
      );
    },
  );

  it.each([
    [dir, 'a directory'],
    ['/dev/null', 'a character device'],
  ])('refuses %s: %s', (path, kind) => {
    expect(refusal(path).message).toBe(
      `must be a regular file of at most 64 MiB; got ${kind}: ${path}`,
    );
  });

  it('says why a file cannot be read', () => {
    expect(refusal(join(dir, 'missing')).message).toBe(
      `names a file that cannot be read (ENOENT): ${join(dir, 'missing')}`,
    );
  });

  it('refuses bytes that are not UTF-8, naming the first such line', () => {
    const path = file('latin1', Buffer.from('dlv_1\ndlv_2\ndlv_\xe9\ndlv_\xff\n', 'latin1'));
    expect(refusal(path).message).toBe(`must be UTF-8 text; line 3 is not: ${path}`);
  });
});

const scratch = scratchDir('ids-special-');

describe('readIdsFile on what is not a regular file', () => {
  const refusedAs = (path: string): string => caught(IdsFileError, () => readIdsFile(path)).message;

  it('refuses a FIFO without opening it (which would wait for a writer)', () => {
    const fifo = join(scratch, 'ids.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(refusedAs(fifo)).toBe(
      `must be a regular file of at most 64 MiB; got a FIFO (named pipe): ${fifo}`,
    );
  });

  it('refuses a Unix socket', async () => {
    const path = join(scratch, 'ids.sock');
    const server = createServer();
    await new Promise<void>((done) => server.listen(path, done));
    try {
      expect(refusedAs(path)).toBe(
        `must be a regular file of at most 64 MiB; got a socket: ${path}`,
      );
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('names the last line when it is the one that is not UTF-8 and has no newline', () => {
    const path = join(scratch, 'no-final-newline');
    writeFileSync(path, Buffer.from('dlv_1\ndlv_2\ndlv_\xff', 'latin1'));
    expect(refusedAs(path)).toBe(`must be UTF-8 text; line 3 is not: ${path}`);
  });
});
