import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  errorLines,
  expectAllOutputsSet,
  expectNoSecretLeaks,
  inProcess,
  json,
  runBundle,
  type Runner,
} from './support/runner.js';
import { ADMIN, startWorld, type World } from './support/world.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.sandbox.close();
});

const hex = (char: string): string => char.charCodeAt(0).toString(16).padStart(2, '0');
const every = (text: string, encode: (char: string) => string): string =>
  [...text].map(encode).join('');
const base64 = (text: string): string => Buffer.from(text).toString('base64');

/** A server that echoes a secret back, in the spellings a debugging page or a proxy writes. */
function echoes(secret: string, clientId = ADMIN.clientId): string {
  return [
    `basic=${base64(`${clientId}:${secret}`)}`,
    `json=${every(secret, (char) => `\\u00${hex(char)}`)}`,
    `url=${every(secret, (char) => `%${hex(char)}`)}`,
    `html=${every(secret, (char) => `&#x${hex(char)};`)}`,
    `b64url=${Buffer.from(secret).toString('base64url')}`,
  ].join(' ');
}

describe('secrets a server echoes or hands back', () => {
  const runInProcess: Runner = inProcess(() => world.clock);

  it('never shows an access token returned as a delivery ID, in any spelling', async () => {
    const ids = world.seed(3);
    const token = world.sandbox.issueToken(ADMIN.clientId);
    // Spellings that are shaped like IDs (with '=' padding, or over 128 characters as the token
    // percent-encoded whole is, an ID is not one: such a reply is refused whole).
    const created = [
      token,
      base64(`Bearer ${token}`).replace(/=+$/, ''),
      Buffer.from(token).toString('base64url'),
    ].map((id) => ({ id, state: 'pending', response: null }));
    world.sandbox.inject({
      route: 'bulk',
      status: 201,
      body: JSON.stringify({ webhook_deliveries: created, meta: { dropped_ids: [] } }),
    });
    const run = await runInProcess({
      'api-url': world.sandbox.url,
      'access-token': token,
      'delivery-ids': ids.join(),
    });
    expect(run.code).toBe(0);
    expectAllOutputsSet(run);
    // Still three new deliveries in a valid list, each redacted on its own.
    const createdIds = json(run.outputs['created-ids']) as string[];
    expect(createdIds).toHaveLength(3);
    expect(createdIds[0]).toBe('***');
    expectNoSecretLeaks(run, [token]);
  });

  it.each(['dlv', '"'])(
    'keeps the report valid and every ID whole when a token issued is %j',
    async (token) => {
      const ids = world.seed(3);
      // The first token is a short one; the bulk call is refused with it and the action renews.
      world.sandbox.inject({
        route: 'token',
        status: 200,
        body: JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 7200 }),
      });
      const run = await runInProcess({ ...world.inputs, 'delivery-ids': ids.join() });
      expect(run.code).toBe(0);
      expect(world.sandbox.requestsTo('token')).toHaveLength(2);
      const createdIds = json(run.outputs['created-ids']) as string[];
      expect(createdIds).toHaveLength(3);
      expect(createdIds.every((id) => /^dlv_\d+$/.test(id))).toBe(true);
      expect(json(run.outputs['selected-ids'])).toEqual(ids);
      const report = JSON.parse(readFileSync(run.outputs['report-file'] ?? '', 'utf8')) as {
        requested: string[];
        created: { id: string; originalId: string }[];
      };
      expect(report.requested).toEqual(ids);
      expect(report.created).toEqual(
        createdIds.map((id, index) => ({ id, originalId: ids[index] })),
      );
      for (const id of [...ids, ...createdIds]) expect(run.summary).toContain(id);
    },
  );
});

describe('the bundled action, against a token endpoint that echoes the client secret', () => {
  it('shows the error without the secret in any spelling, anywhere', async () => {
    const ids = world.seed(2);
    world.sandbox.inject({
      route: 'token',
      status: 400,
      headers: { 'content-type': 'text/html' },
      body: `<html><body><h1>Bad client</h1><pre>${echoes(ADMIN.clientSecret)}</pre></body></html>`,
    });
    const run = await runBundle({ ...world.inputs, 'delivery-ids': ids.join() });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /^::error::Token exchange failed: HTTP 400 Bad Request: Bad client basic=Y2ktYWRtaW46\*\*\*.* json=\*\*\* url=\*\*\* html=\*\*\* b64url=\*\*\*/,
      ),
    ]);
    expect(json(run.outputs['unsent-ids'])).toEqual(ids);
    expectNoSecretLeaks(run, [ADMIN.clientSecret]);
  });
});
