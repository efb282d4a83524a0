/**
 * A one-line text form of a fault, for the command line (`--fault 'bulk:status=503,times=2'`), so
 * that a failure seen in a test can be reproduced by hand against a running sandbox. It covers
 * every field of `Fault` except `when` and `rewrite`, which are code.
 */
import type { Fault, Route } from './types.js';

export const FAULT_SYNTAX = `Fault SPEC: ROUTE:ITEM[,ITEM...]
  ROUTE               token (POST /oauth/token), list (GET /api/v2/webhook_deliveries)
                      or bulk (POST /api/v2/webhook_deliveries/redeliveries)
  status=N            reply with HTTP status N instead; the server does not act
  body=TEXT           reply with TEXT as the body instead (status 500 unless status= is given)
  header.NAME=VALUE   set the response header NAME on the reply, canned or real (repeatable)
  delay-ms=N          wait N ms before replying
  stall               never reply, until the sandbox stops
  reset               drop the connection (TCP reset) instead of replying; the server does not act
  truncate            announce the whole body, send half of it, then close the connection;
                      unless status or body is given, the real reply, so the server acts
  after-handling      act first (e.g. create the redeliveries), then apply status, body or reset
  times=N|always      how many requests the fault applies to (default 1)
  skip=N              let N requests through before it applies (default 0)
Values are percent-decoded: write a comma as %2C and a percent sign as %25.
Faults on one route apply in the order given, each for its number of requests.`;

const ROUTES: readonly Route[] = ['token', 'list', 'bulk'];
const FLAGS = ['stall', 'reset', 'truncate', 'after-handling'];
const VALUED = ['status', 'body', 'delay-ms', 'times', 'skip'];
const EFFECTS = 'status, body, header.NAME, delay-ms, stall, reset or truncate';
// RFC 9110 token characters, and the header value characters node:http accepts.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

type Fail = (problem: string) => never;

/** Parses one `--fault` value; throws a FaultSpecError whose message names the spec and the item. */
export function parseFaultSpec(spec: string): Fault {
  const fail: Fail = (problem) => {
    throw new FaultSpecError(`--fault '${spec}': ${problem}`);
  };
  const colon = spec.indexOf(':');
  if (colon < 0) fail('expected ROUTE:ITEM[,ITEM...], e.g. bulk:status=503');
  const route = spec.slice(0, colon);
  if (!isRoute(route)) return fail(`unknown route "${route}" (token, list or bulk)`);
  if (colon === spec.length - 1) fail(`no items after "${route}:", e.g. ${route}:status=503`);

  const fault: Fault = { route };
  const seen = new Set<string>();
  for (const item of spec.slice(colon + 1).split(',')) {
    const equals = item.indexOf('=');
    const name = equals < 0 ? item : item.slice(0, equals);
    if (name === '') fail(item === '' ? 'empty item (a stray comma?)' : `no name in "${item}"`);
    const isHeader = name.startsWith('header.');
    if (!isHeader && !FLAGS.includes(name) && !VALUED.includes(name)) {
      fail(`unknown item "${name}"; see --help`);
    }
    // Header names are case-insensitive, so header.A after header.a is the same header twice.
    const key = isHeader ? name.toLowerCase() : name;
    if (seen.has(key)) fail(`${name} given twice`);
    seen.add(key);
    if (FLAGS.includes(name)) {
      if (equals >= 0) fail(`${name} takes no value`);
      setFlag(fault, name);
    } else {
      if (equals < 0) fail(`${name} needs a value (${name}=...); see --help`);
      setValue(fault, name, decode(item.slice(equals + 1), name, fail), fail);
    }
  }
  checkCombination(seen, fail);
  return fault;
}

function setFlag(fault: Fault, name: string): void {
  if (name === 'stall') fault.delayMs = Infinity;
  else if (name === 'reset') fault.reset = true;
  else if (name === 'truncate') fault.truncate = true;
  else fault.afterHandling = true;
}

function setValue(fault: Fault, name: string, value: string, fail: Fail): void {
  const integer = (min: number, max?: number, orElse = ''): number => {
    const n = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
    if (n >= min && n <= (max ?? n)) return n;
    const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
    return fail(`${name} must be an integer ${range}${orElse}, got "${value}"`);
  };
  if (name === 'status') fault.status = integer(100, 599);
  else if (name === 'body') fault.body = value;
  else if (name === 'delay-ms') fault.delayMs = integer(0);
  else if (name === 'times') {
    fault.times = value === 'always' ? Infinity : integer(1, undefined, ' or always');
  } else if (name === 'skip') fault.skip = integer(0);
  else {
    const header = name.slice('header.'.length);
    if (!HEADER_NAME.test(header)) fail(`"${header}" is not a valid header name`);
    if (!HEADER_VALUE.test(value)) fail(`${name} has a character a header cannot carry`);
    fault.headers = { ...fault.headers, [header]: value };
  }
}

/** Refuses items that would silently do nothing, rather than let a reproduction differ. */
function checkCombination(seen: Set<string>, fail: Fail): void {
  const waits = ['delay-ms', 'reset'].filter((name) => seen.has(name));
  if (seen.has('stall') && waits.length > 0) fail(`stall and ${waits[0]} exclude each other`);
  const shaping = ['status', 'body', 'truncate'].filter((name) => seen.has(name));
  if ([...seen].some((name) => name.startsWith('header.'))) shaping.push('header.NAME');
  const silent = seen.has('stall') ? 'stall' : seen.has('reset') ? 'reset' : undefined;
  if (silent && shaping.length > 0) {
    fail(`${silent} sends no reply, so ${shaping[0]} would do nothing`);
  }
  const effects = [...seen].filter((name) => !['times', 'skip', 'after-handling'].includes(name));
  if (effects.length === 0) fail(`no effect given: add one of ${EFFECTS}`);
}

function isRoute(name: string): name is Route {
  return (ROUTES as readonly string[]).includes(name);
}

function decode(raw: string, name: string, fail: Fail): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return fail(`${name} has a malformed %-escape; write a percent sign as %25`);
  }
}
