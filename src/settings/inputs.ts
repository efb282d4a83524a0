import { readPlanSource } from './plan-inputs.js';
import {
  DELIVERY_STATES,
  isDeliveryId,
  isEventAction,
  type DeliveryState,
} from '../model/domain.js';
import { InputError } from '../model/errors.js';
import { ID_RULE, MAX_LOOKBACK_DAYS, MAX_LOOKBACK_MS, parseDuration } from './formats.js';
import { IdsFileError } from './ids-file.js';
import type { Credentials, InputReader, SelectionSource, Settings } from './settings.js';

/** Inputs whose values are secrets: masked before anything else reads an input. */
export const SECRET_INPUTS = ['client-secret', 'access-token'] as const;

export function readSettings(inputs: InputReader): Settings {
  const credentials = readCredentials(inputs);
  const apiUrl = parseApiUrl(inputs.get('api-url') || 'https://app.hindsiteind.com');
  const source = readSource(inputs, { apiUrl, credentials });
  return {
    credentials,
    apiUrl,
    source,
    batchSize: parseInteger('batch-size', inputs.get('batch-size'), 100, 1, 1000),
    concurrency: parseInteger('concurrency', inputs.get('concurrency'), 4, 1, 16),
    maxDeliveries: parseInteger(
      'max-deliveries',
      inputs.get('max-deliveries'),
      1000,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    dryRun: parseBoolean('dry-run', inputs.get('dry-run'), false),
    failOnDropped: parseBoolean('fail-on-dropped', inputs.get('fail-on-dropped'), false),
    maxAttempts: parseInteger('max-attempts', inputs.get('max-attempts'), 3, 1, 10),
    timeoutMs: parseSeconds('timeout-seconds', inputs.get('timeout-seconds'), 30, 0.1, 3600),
    discoveryTimeoutMs: parseSeconds(
      'discovery-timeout-seconds',
      inputs.get('discovery-timeout-seconds'),
      600,
      1,
      21600,
    ),
    wait: {
      enabled: parseBoolean('wait', inputs.get('wait'), false),
      timeoutMs: parseSeconds(
        'wait-timeout-seconds',
        inputs.get('wait-timeout-seconds'),
        600,
        1,
        21600,
      ),
      pollIntervalMs: parseSeconds(
        'poll-interval-seconds',
        inputs.get('poll-interval-seconds'),
        15,
        1,
        3600,
      ),
    },
    maxRatePerMinute: inputs.get('max-rate')
      ? parseInteger('max-rate', inputs.get('max-rate'), 0, 1, 1_000_000)
      : undefined,
    canary: parseInteger('canary', inputs.get('canary'), 0, 0, 1000),
  };
}

function readCredentials(inputs: InputReader): Credentials {
  const accessToken = inputs.get('access-token');
  const clientId = inputs.get('client-id');
  const clientSecret = inputs.get('client-secret');
  if (accessToken) return { kind: 'access-token', accessToken };
  if (!clientId && !clientSecret) {
    throw new InputError(
      'client-id',
      'Input client-id is required unless access-token is given: set client-id and client-secret (from HINDSITE support), or access-token.',
    );
  }
  if (!clientId) {
    throw new InputError('client-id', 'Input client-id is required when client-secret is given.');
  }
  if (!clientSecret) {
    throw new InputError(
      'client-secret',
      'Input client-secret is required when client-id is given.',
    );
  }
  return { kind: 'client-credentials', clientId, clientSecret };
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The base URL of the API. Credentials and tokens travel to it, so plain http is allowed only where
 * the traffic never leaves the machine.
 */
export function parseApiUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      'api-url',
      `Input api-url must be an absolute https:// URL; got "${value}".`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(
      'api-url',
      `Input api-url must be an https:// URL; got the scheme "${url.protocol}".`,
    );
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
    throw new InputError(
      'api-url',
      `Input api-url must use https://: plain http:// is only for loopback hosts, so that credentials never cross a network in clear text. Got host "${url.hostname}", not localhost, 127.0.0.0/8 or [::1].`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      'api-url',
      'Input api-url must not contain a user name or password; use client-id and client-secret.',
    );
  }
  if (url.search || url.hash) {
    throw new InputError(
      'api-url',
      'Input api-url must be a base URL without a query or fragment.',
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

function readSource(
  inputs: InputReader,
  binding: { apiUrl: URL; credentials: Credentials },
): SelectionSource {
  const idsText = inputs.get('delivery-ids');
  const filePath = inputs.get('delivery-ids-file');
  const sinceText = inputs.get('since');
  const webhookId = inputs.get('webhook-id');
  const planPath = inputs.get('plan-file');
  const state = parseState(inputs.get('state'));
  const eventActions = parseEventActions(inputs.get('event-action'));
  const given = [
    idsText && 'delivery-ids',
    filePath && 'delivery-ids-file',
    (sinceText || webhookId) && 'since/webhook-id (discovery)',
    planPath && 'plan-file',
  ].filter((name): name is string => Boolean(name));
  if (given.length === 0) {
    throw new InputError(
      'delivery-ids',
      'No deliveries to retry: set one of delivery-ids, delivery-ids-file, plan-file, or since and/or webhook-id to discover failed deliveries.',
    );
  }
  if (given.length > 1) {
    throw new InputError(
      given.includes('plan-file')
        ? 'plan-file'
        : given[0] === 'delivery-ids'
          ? 'delivery-ids'
          : 'delivery-ids-file',
      `Set exactly one source of deliveries, not several: got ${given.join(' and ')}.`,
    );
  }
  if (eventActions && (idsText || filePath || planPath)) {
    const given = idsText ? 'delivery-ids' : filePath ? 'delivery-ids-file' : 'plan-file';
    throw new InputError(
      'event-action',
      `Input event-action filters discovery only, not IDs given in ${given}: remove it, or discover with since and/or webhook-id. The action does not know the event action of given IDs.`,
    );
  }
  if (planPath) return readPlanSource(planPath, inputs, binding);
  if (inputs.get('plan-digest')) {
    throw new InputError(
      'plan-digest',
      'Input plan-digest is given without plan-file: it is the digest of the plan a run applies.',
    );
  }
  // An explicitly empty list (`[]`, only separators) is nothing to do, as an empty file is.
  if (idsText) return { kind: 'delivery-ids', ids: parseDeliveryIds(idsText, 'delivery-ids') };
  if (filePath) {
    let text: string;
    try {
      text = inputs.readIdsFile(filePath);
    } catch (error) {
      if (!(error instanceof IdsFileError)) throw error;
      throw new InputError('delivery-ids-file', `Input delivery-ids-file ${error.message}`);
    }
    return {
      kind: 'delivery-ids-file',
      path: filePath,
      ids: parseDeliveryIds(text, 'delivery-ids-file'),
    };
  }
  return {
    kind: 'discovery',
    since: sinceText ? parseSince(sinceText, inputs.now()) : undefined,
    sinceInput: sinceText || undefined,
    webhookId: webhookId || undefined,
    state,
    eventActions,
  };
}

/**
 * IDs separated by newlines, commas or white space, or a JSON array of strings. Trimmed,
 * de-duplicated, first occurrence first. Every ID must have the shape of one; the error names where
 * the first one that does not is, never what it holds (it may be a secret).
 */
export function parseDeliveryIds(text: string, input: string): string[] {
  const ids: string[] = [];
  const add = (id: string, where: () => string): void => {
    if (id.length === 0) return;
    if (!isDeliveryId(id)) {
      throw new InputError(
        input,
        `Input ${input}: ${where()} is not a delivery ID, so nothing was sent; fix or remove it. ${ID_RULE}.`,
      );
    }
    ids.push(id);
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    parseJsonArray(trimmed, input).forEach((id, index) =>
      add(id.trim(), () => `the element at index ${index}`),
    );
  } else {
    // Lines counted in the text as given, so that a file's line numbers are what an editor shows.
    text.split('\n').forEach((line, lineIndex) => {
      const items = line.split(/[\s,]+/).filter((item) => item.length > 0);
      items.forEach((item, itemIndex) =>
        add(item, () =>
          items.length === 1
            ? `line ${lineIndex + 1}`
            : `line ${lineIndex + 1}, item ${itemIndex + 1}`,
        ),
      );
    });
  }
  return [...new Set(ids)];
}

function parseJsonArray(text: string, input: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError(
      input,
      `Input ${input} starts with "[" but is not a valid JSON array of strings.`,
    );
  }
  if (!Array.isArray(parsed) || !parsed.every((id) => typeof id === 'string')) {
    throw new InputError(input, `Input ${input} must be a JSON array of strings (delivery IDs).`);
  }
  return parsed;
}

function parseBoolean(input: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback;
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  throw new InputError(input, `Input ${input} must be true or false; got "${value}".`);
}

function parseInteger(
  input: string,
  value: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === '') return fallback;
  const range =
    max === Number.MAX_SAFE_INTEGER
      ? `an integer of at least ${min}`
      : `an integer from ${min} to ${max}`;
  if (!/^[+-]?\d+$/.test(value))
    throw new InputError(input, `Input ${input} must be ${range}; got "${value}".`);
  const number = Number(value);
  if (number < min || number > max) {
    // Past MAX_SAFE_INTEGER, Number rounds or overflows: "at least 1" would not say what is wrong.
    const allowed = number > max ? `an integer from ${min} to ${max}` : range;
    throw new InputError(input, `Input ${input} must be ${allowed}; got ${value}.`);
  }
  return number;
}

/** Seconds, possibly fractional, as milliseconds. */
function parseSeconds(
  input: string,
  value: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = value === '' ? String(fallback) : value;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(seconds >= min && seconds <= max)) {
    throw new InputError(
      input,
      `Input ${input} must be a number of seconds from ${min} to ${max}; got "${value}".`,
    );
  }
  return Math.round(seconds * 1000);
}

function parseState(value: string): DeliveryState {
  if (value === '') return 'errored';
  if ((DELIVERY_STATES as readonly string[]).includes(value)) return value as DeliveryState;
  throw new InputError(
    'state',
    `Input state must be one of ${DELIVERY_STATES.join(', ')}; got "${value}".`,
  );
}

/** event-action: a comma- or newline-separated list, trimmed and de-duplicated; undefined when unset. */
export function parseEventActions(value: string): string[] | undefined {
  if (value === '') return undefined;
  const actions = value
    .split(/[,\n]/)
    .map((action) => action.trim())
    .filter(Boolean);
  const bad = actions.findIndex((action) => !isEventAction(action));
  if (actions.length === 0 || bad >= 0) {
    throw new InputError(
      'event-action',
      bad >= 0
        ? `Input event-action: item ${bad + 1} is not an event action. Each is printable ASCII, at most 128 characters, without spaces, '=' or quotes.`
        : 'Input event-action lists no event action: give a comma- or newline-separated list, such as form_completed.',
    );
  }
  return [...new Set(actions)];
}

/** What since takes as a date-time: a date, or a date and time with or without a zone (UTC). */
const SINCE_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Rejects what Date would quietly roll over: 2026-02-30, 24:00, 12:60. */
function isRealDateTime(value: string): boolean {
  const [, year, month, day, hour, minute, second] =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/i.exec(value) ?? [];
  // setUTCFullYear, not Date.UTC, which reads the years 0 to 99 as 1900 to 1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    Number(hour ?? 0) < 24 &&
    Number(minute ?? 0) < 60 &&
    Number(second ?? 0) < 60
  );
}

/** An ISO 8601 date-time (UTC unless it carries an offset), or a duration back from now: 30m, 24h, 7d. */
export function parseSince(value: string, now: Date): Date {
  const tooFarBack = (): InputError =>
    new InputError(
      'since',
      `Input since must be at most ${MAX_LOOKBACK_DAYS} days back (not before ${new Date(now.getTime() - MAX_LOOKBACK_MS).toISOString()}); got "${value}".`,
    );
  const backMs = parseDuration(value);
  if (backMs !== undefined) {
    // Infinity for a number with hundreds of digits: still caught here.
    if (backMs > MAX_LOOKBACK_MS) throw tooFarBack();
    // Whole seconds, rounded down: a slightly wider window, and a timestamp any server parses.
    if (backMs > 0) return new Date(Math.floor((now.getTime() - backMs) / 1000) * 1000);
  }
  if (SINCE_DATE_TIME.test(value) && isRealDateTime(value)) {
    // A date-time without an offset would be read in the runner's zone; UTC is what users expect.
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) || !value.includes(':');
    const date = new Date(hasZone ? value : `${value}Z`);
    if (!Number.isNaN(date.getTime())) {
      if (date.getTime() > now.getTime()) {
        throw new InputError(
          'since',
          `Input since is in the future (${date.toISOString()}); it must be a time in the past.`,
        );
      }
      if (now.getTime() - date.getTime() > MAX_LOOKBACK_MS) throw tooFarBack();
      return date;
    }
  }
  throw new InputError(
    'since',
    `Input since must be an ISO 8601 date-time (e.g. 2026-11-28T09:00:00Z) or a duration back from now (e.g. 30m, 24h, 7d); got "${value}".`,
  );
}
