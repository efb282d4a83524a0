/**
 * A working HTTP proxy on loopback, as a runner's HTTPS_PROXY would be, in front of the sandbox:
 * it answers every CONNECT, and is itself the far end of the tunnel for `hindsite.example.test`
 * (TLS with that name's fixture certificate), forwarding what it decrypts to the sandbox's plain
 * port. So the action's requests really go client → proxy → TLS → server, as through a corporate
 * proxy, with nothing resolving the name but the proxy.
 */
import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { TLSSocket } from 'node:tls';

const FIXTURES = join(resolve(import.meta.dirname), '..', 'fixtures');
/** The host name the proxy serves; not loopback, so the action sends it through the proxy. */
export const PROXIED_HOST = 'hindsite.example.test';
/** Its certificate, self-signed: the CA the action must trust (NODE_EXTRA_CA_CERTS). */
export const PROXIED_CA_FILE = join(FIXTURES, 'hindsite-example-test-cert.pem');
const IDENTITY = {
  key: readFileSync(join(FIXTURES, 'hindsite-example-test-key.pem')),
  cert: readFileSync(PROXIED_CA_FILE),
};

export interface TunnelProxy {
  port: number;
  /** Each CONNECT as the proxy read it: its target, and its Proxy-Authorization header if any. */
  connects: () => { target: string; authorization: string | undefined }[];
  close: () => Promise<void>;
}

export async function startTunnelProxy(upstreamPort: number): Promise<TunnelProxy> {
  const sockets = new Set<Socket>();
  const connects: { target: string; authorization: string | undefined }[] = [];
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    track(client);
    let head = '';
    const readHead = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', readHead);
      const [requestLine = '', ...headers] = head.slice(0, end).split('\r\n');
      const [method, target = ''] = requestLine.split(' ');
      if (method !== 'CONNECT') {
        client.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\n\r\n');
        return;
      }
      const authorization = headers
        .find((line) => /^proxy-authorization:/i.test(line))
        ?.replace(/^[^:]+:\s*/, '');
      connects.push({ target, authorization });
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      // The tunnel's far end: TLS as hindsite.example.test, then plain bytes to the sandbox.
      const secure = new TLSSocket(client, { isServer: true, ...IDENTITY });
      const upstream = connect(upstreamPort, '127.0.0.1');
      track(upstream);
      secure.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      secure.pipe(upstream).pipe(secure);
    };
    client.on('data', readHead);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    connects: () => connects,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}
