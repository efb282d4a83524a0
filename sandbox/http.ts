/**
 * Small HTTP helpers for the sandbox: reading bodies with a limit, building and writing replies.
 * Replies are plain values so fault injection can compute, discard or mangle them before writing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  /** Header names are kept lower-case so overrides never produce duplicate headers. */
  headers: Record<string, string>;
  body: string;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Request bodies above this are refused with 413 (a real API would refuse far less). */
export const BODY_LIMIT_BYTES = 20 * 1024 * 1024;

export function jsonReply(
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): Reply {
  return withHeaders(
    { status, headers: { 'content-type': JSON_CONTENT_TYPE }, body: JSON.stringify(payload) },
    headers,
  );
}

/** Returns a copy of `reply` with `extra` headers merged over its own (case-insensitively). */
export function withHeaders(reply: Reply, extra: Record<string, string> | undefined): Reply {
  if (!extra) return reply;
  const headers = { ...reply.headers };
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
  return { ...reply, headers };
}

export interface ReadBody {
  body: string;
  tooLarge: boolean;
}

/**
 * Reads the whole body. Past the limit it keeps draining (so the client can finish sending and
 * read the 413) but stops buffering. Rejects if the connection drops mid-body.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () =>
      resolve({ body: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge }),
    );
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('request aborted'));
    });
  });
}

/** The bare media type of a Content-Type header (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Writes `reply`. With `truncate`, the Content-Length still announces the full body but only half
 * of it is written before the socket is destroyed, so the client sees a premature end of body.
 */
export function writeReply(res: ServerResponse, reply: Reply, truncate = false): void {
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, { 'content-length': String(body.length), ...reply.headers });
  if (!truncate) {
    res.end(body);
    return;
  }
  res.flushHeaders();
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
}
