/**
 * The one rule that decides, for every endpoint and every way a call can fail, whether the call is
 * made again and what the failure means for the delivery IDs it carried. The bulk endpoint creates
 * new deliveries on every call and documents no idempotency key, so it is repeated only when
 * HINDSITE certainly did not act. The README's "How calls are retried" table is generated from this
 * table, and a test keeps the two identical.
 */
import type { CallOutcome } from '../model/errors.js';
import { MAX_RETRY_AFTER_MS } from './retry.js';

export type Endpoint = 'token' | 'list' | 'bulk';

export type FailureKind =
  | 'not-connected'
  | 'tls-handshake'
  | 'timeout'
  | 'connection-lost'
  | 'unreadable'
  | 'status-3xx'
  | 'status-400-401'
  | 'status-403'
  | 'status-404-405'
  | 'status-4xx'
  | 'status-429'
  | 'status-5xx';

export interface Rule {
  /** Whether the call is made again (up to max-attempts, with backoff or the Retry-After). */
  retry: boolean;
  /** What the failure means for the IDs the call carried (token and list calls carry none). */
  outcome: CallOutcome;
  /** What the user can do, after the facts. */
  advice: string;
}

interface Row {
  kind: FailureKind;
  /** The failure as the README's table names it. */
  label: string;
  rules: Record<Endpoint, Rule>;
}

const REACH = 'Check api-url and that HINDSITE is reachable from the runner.';
const CERTIFICATE =
  "Check api-url and the server's certificate (a private CA is trusted through NODE_EXTRA_CA_CERTS).";
const UNKNOWN =
  'The outcome is unknown: HINDSITE may have created redeliveries for this batch, so it is not sent again.';
const LATER = 'HINDSITE may be unavailable; try again later.';
const LIMITED =
  'HINDSITE is limiting requests; nothing was redelivered by this call. Try again later.';
const REDIRECTED =
  'The server answered with a redirect, which the action does not follow (it would carry the credentials elsewhere): check api-url.';
const NOT_ADMIN =
  'The credentials are not an admin of the HINDSITE organisation: use the client credentials of an organisation admin (HINDSITE support issues them).';
const REFUSED = 'The request was refused and not retried.';
const RETRY_AFTER_LIMIT = `${MAX_RETRY_AFTER_MS / 1000} s`;

/**
 * What to do when an API call's token is refused (HTTP 401), which the 400/401 row leaves to the
 * client: a token it obtained is renewed once first; an access-token input cannot be.
 */
export const TOKEN_REFUSED_ADVICE = {
  accessToken:
    'The access-token was refused (expired or revoked) and there is nothing to renew it with: pass a fresh access-token, or client-id and client-secret so the action can obtain tokens itself.',
  renewed: 'Check that the client is allowed to use the API.',
} as const;

const retried = (outcome: CallOutcome, advice: string): Rule => ({ retry: true, outcome, advice });
const final = (outcome: CallOutcome, advice: string): Rule => ({ retry: false, outcome, advice });
/** Token and list calls carry no delivery IDs: a failure of theirs leaves every ID unsent. */
const byEndpoint = (token: Rule, list: Rule, bulk: Rule): Record<Endpoint, Rule> => ({
  token,
  list,
  bulk,
});

export const RETRY_POLICY: readonly Row[] = [
  {
    kind: 'not-connected',
    label:
      'No connection: refused, DNS failure, or not connected (through the proxy) within timeout-seconds; nothing was written',
    rules: byEndpoint(
      retried('not-sent', REACH),
      retried('not-sent', REACH),
      retried('not-sent', `${REACH} Nothing was sent for this batch.`),
    ),
  },
  {
    kind: 'tls-handshake',
    label: 'TLS handshake failed (untrusted or wrong certificate)',
    rules: byEndpoint(
      final('not-sent', CERTIFICATE),
      final('not-sent', CERTIFICATE),
      final('not-sent', CERTIFICATE),
    ),
  },
  {
    kind: 'timeout',
    label: 'No complete reply within timeout-seconds after connecting',
    rules: byEndpoint(
      retried('not-sent', REACH),
      retried('not-sent', REACH),
      final('unknown', UNKNOWN),
    ),
  },
  {
    kind: 'connection-lost',
    label: 'Connection lost after it was made (a TLS error after the handshake included)',
    rules: byEndpoint(
      retried('not-sent', REACH),
      retried('not-sent', REACH),
      final('unknown', UNKNOWN),
    ),
  },
  {
    kind: 'unreadable',
    label: '2xx with a body that is not the documented JSON',
    rules: byEndpoint(
      retried('not-sent', 'The token endpoint answered without a usable token.'),
      retried('not-sent', LATER),
      final('unknown', UNKNOWN),
    ),
  },
  {
    kind: 'status-3xx',
    label: '3xx (redirects are not followed)',
    rules: byEndpoint(
      final('not-sent', REDIRECTED),
      final('not-sent', REDIRECTED),
      final('unknown', `${REDIRECTED} ${UNKNOWN}`),
    ),
  },
  {
    kind: 'status-400-401',
    label: '400, 401 (a 401 on an API call first renews the token once)',
    rules: byEndpoint(
      final(
        'not-sent',
        'Check client-id and client-secret (HINDSITE support issues them), and that api-url points at the right HINDSITE host.',
      ),
      final('not-sent', REFUSED),
      final('refused', REFUSED),
    ),
  },
  {
    kind: 'status-403',
    label: '403',
    rules: byEndpoint(
      final(
        'not-sent',
        'The client is not allowed to obtain tokens: ask HINDSITE support for the credentials of an organisation admin.',
      ),
      final('not-sent', NOT_ADMIN),
      final('refused', NOT_ADMIN),
    ),
  },
  {
    kind: 'status-404-405',
    label: '404, 405',
    rules: byEndpoint(
      final(
        'not-sent',
        'No token endpoint there: check api-url (the base URL of the HINDSITE API, without /oauth/token).',
      ),
      final('not-sent', REFUSED),
      final('refused', REFUSED),
    ),
  },
  {
    kind: 'status-4xx',
    label: 'Other 4xx (422, …)',
    rules: byEndpoint(
      final('not-sent', 'The token request was refused.'),
      final('not-sent', REFUSED),
      final('refused', REFUSED),
    ),
  },
  {
    kind: 'status-429',
    label: `429 (Retry-After honoured up to ${RETRY_AFTER_LIMIT})`,
    rules: byEndpoint(
      retried('not-sent', LATER),
      retried('not-sent', LATER),
      retried('refused', LIMITED),
    ),
  },
  {
    // A gateway in front of HINDSITE answers 502, 503 or 504 when the origin reset or timed out,
    // possibly after it created the deliveries: only a 429 proves that nothing was done.
    kind: 'status-5xx',
    label: `500, 502, 503, 504, other 5xx (Retry-After honoured up to ${RETRY_AFTER_LIMIT} where retried)`,
    rules: byEndpoint(
      retried('not-sent', LATER),
      retried('not-sent', LATER),
      final('unknown', UNKNOWN),
    ),
  },
];

const BY_KIND = new Map(RETRY_POLICY.map((row) => [row.kind, row.rules]));

export function ruleFor(endpoint: Endpoint, kind: FailureKind): Rule {
  return (BY_KIND.get(kind) as Record<Endpoint, Rule>)[endpoint];
}

/** The failure kind of an HTTP status that is not a success. */
export function statusKind(status: number): FailureKind {
  if (status === 400 || status === 401) return 'status-400-401';
  if (status === 403) return 'status-403';
  if (status === 404 || status === 405) return 'status-404-405';
  if (status >= 300 && status < 400) return 'status-3xx';
  if (status === 429) return 'status-429';
  if (status >= 500) return 'status-5xx';
  return 'status-4xx';
}

/** The README's table, rendered from RETRY_POLICY. */
export function renderPolicyTable(): string {
  const cell = (endpoint: Endpoint, rule: Rule): string => {
    const action = rule.retry ? 'retried' : 'not retried';
    if (endpoint !== 'bulk') return action;
    const ids = {
      'not-sent': 'IDs unsent',
      refused: 'IDs refused',
      unknown: 'IDs outcome unknown',
    };
    return `${action}; ${rule.retry ? 'then ' : ''}${ids[rule.outcome]}`;
  };
  return [
    '| Failure | Token exchange | List (discovery, wait) | Bulk redelivery |',
    '| --- | --- | --- | --- |',
    ...RETRY_POLICY.map(
      (row) =>
        `| ${row.label} | ${cell('token', row.rules.token)} | ${cell('list', row.rules.list)} | ${cell('bulk', row.rules.bulk)} |`,
    ),
  ].join('\n');
}
