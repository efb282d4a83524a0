/**
 * Small hostile servers on loopback, for what the action must survive at the transport level: a
 * TLS front that breaks the connection after the server acted, a proxy that never answers, and a
 * CONNECT proxy that opens tunnels (or refuses them).
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { TLSSocket } from 'node:tls';

const FIXTURES = join(resolve(import.meta.dirname), '..', 'fixtures');
/** The fixture certificate for localhost / 127.0.0.1: the CA to trust in the action. */
export const CA_FILE = join(FIXTURES, 'localhost-cert.pem');
const IDENTITY = {
  key: readFileSync(join(FIXTURES, 'localhost-key.pem')),
  cert: readFileSync(CA_FILE),
};
export const CA = IDENTITY.cert;

/** Bytes that no TLS client can read as a record: they end a secure connection with an SSL error. */
const NOT_A_TLS_RECORD = 'this is not a TLS record\r\n';

export interface HostileServer {
  port: number;
  /** Connections accepted so far. */
  accepted: () => number;
  /** Connections still open. */
  open: () => number;
  close: () => Promise<void>;
}

async function listen(
  server: Server,
  sockets: Set<Socket>,
  host = '127.0.0.1',
): Promise<HostileServer> {
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    accepted: () => accepted,
    open: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

/**
 * TLS in front of the plain HTTP server on `upstreamPort`, which forwards everything, except that
 * once a request whose start matches `breakAfter` has been forwarded and the upstream has begun to
 * answer it (it read the whole request and acted), the client gets bytes that are not a TLS record
 * instead of the answer: a TLS error on a connection established long before.
 */
export function startTlsBreaker(upstreamPort: number, breakAfter: RegExp): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const server = createServer((raw) => {
    const secure = new TLSSocket(raw, { isServer: true, ...IDENTITY });
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(upstream);
    let doomed = false;
    for (const end of [secure, upstream]) end.on('error', () => end.destroy());
    upstream.on('close', () => sockets.delete(upstream));
    raw.on('close', () => upstream.destroy());
    secure.on('data', (chunk: Buffer) => {
      if (breakAfter.test(chunk.toString('latin1'))) doomed = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!doomed) {
        secure.write(chunk);
        return;
      }
      upstream.destroy();
      raw.write(NOT_A_TLS_RECORD);
    });
  });
  return listen(server, sockets);
}

/** A proxy that accepts connections and never says a word: a CONNECT to it is never answered. */
export function startSilentProxy(): Promise<HostileServer> {
  // It reads (and ignores) what it is sent, so that it sees the client hang up.
  return listen(
    createServer((socket) => socket.resume()),
    new Set(),
  );
}

/** What a CONNECT proxy was asked: the tunnel's target and the credentials it came with. */
export interface TunnelRequest {
  target: string;
  authorization?: string;
}

export interface ConnectProxy extends HostileServer {
  tunnels: () => TunnelRequest[];
}

/**
 * A CONNECT proxy. It opens each tunnel to 127.0.0.1, at the requested port, whatever the requested
 * host (a name that is not loopback, which the action sends through a proxy, reaches a loopback
 * server), unless it is given `answer`: raw bytes it replies with instead, and hangs up.
 */
export async function startConnectProxy(answer?: string): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const tunnels: TunnelRequest[] = [];
  const server = createHttpServer();
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    tunnels.push({ target, authorization: request.headers['proxy-authorization'] });
    if (answer !== undefined) {
      client.end(answer);
      return;
    }
    const upstream = connect(Number(/:(\d+)$/.exec(target)?.[1]), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
  });
  return { ...(await listen(server, sockets)), tunnels: () => tunnels };
}

/**
 * Waits (real time, at most `ms`) until `done()` holds; tells whether it did. It returns as soon as
 * it holds, so the bound only tells "never" from "soon" and can be generous.
 */
export async function eventually(done: () => boolean, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((wake) => setTimeout(wake, 10));
  return done();
}

/** Whether this machine has the IPv6 loopback interface (tests that need it are skipped without). */
export const IPV6_LOOPBACK = Object.values(networkInterfaces())
  .flat()
  .some((address) => address?.address === '::1');
