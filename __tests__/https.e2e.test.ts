import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { runBundledAction } from '../scripts/step.js';
import { errorLines, expectNoSecretLeaks, json } from './support/runner.js';
import { ADMIN, startWorld, type World } from './support/world.js';

const FIXTURES = join(resolve(import.meta.dirname), 'fixtures');
const CA = join(FIXTURES, 'localhost-cert.pem');

let world: World;
let tls: Server;
let httpsUrl: string;
const sockets = new Set<Socket>();

/** TLS in front of the sandbox: the action talks https://localhost to it, as to the real API. */
beforeEach(async () => {
  world = await startWorld();
  const port = Number(new URL(world.sandbox.url).port);
  tls = createServer(
    { key: readFileSync(join(FIXTURES, 'localhost-key.pem')), cert: readFileSync(CA) },
    (socket) => {
      const upstream = connect(port, '127.0.0.1');
      for (const end of [socket, upstream]) {
        sockets.add(end);
        end.on('error', () => end.destroy());
        end.on('close', () => sockets.delete(end));
      }
      socket.pipe(upstream).pipe(socket);
    },
  );
  tls.on('tlsClientError', () => undefined);
  await new Promise<void>((done) => tls.listen(0, '127.0.0.1', done));
  const address = tls.address();
  httpsUrl = `https://localhost:${typeof address === 'object' && address ? address.port : 0}`;
});
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((done) => tls.close(done));
  await world.sandbox.close();
});

describe('the bundled action over https', () => {
  it('redelivers through TLS when the certificate is trusted', async () => {
    const ids = world.seed(2);
    const run = await runBundledAction(
      { ...world.inputs, 'api-url': httpsUrl, 'delivery-ids': ids.join() },
      { env: { NODE_EXTRA_CA_CERTS: CA }, timeoutMs: 20_000 },
    );
    expect(run.code).toBe(0);
    expect(run.outputs['created-count']).toBe('2');
    expect(world.sandbox.requestsTo('token')).toHaveLength(1);
  });

  it('refuses an untrusted certificate at once, sending nothing, with a clear message', async () => {
    const ids = world.seed(2);
    const run = await runBundledAction(
      { ...world.inputs, 'api-url': httpsUrl, 'delivery-ids': ids.join() },
      { timeoutMs: 20_000 },
    );
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /^::error::Token exchange failed: POST \/oauth\/token could not connect securely: the TLS handshake failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/,
      ),
    ]);
    expect(run.stdout).not.toMatch(/retrying in/);
    expect(world.sandbox.requests).toHaveLength(0);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids);
    expectNoSecretLeaks(run, [ADMIN.clientSecret]);
  });
});
