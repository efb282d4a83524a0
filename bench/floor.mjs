// The floor for the startup benchmark: a bare Node script making the same two HTTP calls as the
// action on 3 IDs (token exchange, one bulk redelivery) with node:http, or node:https for an https
// URL as the action would, and nothing else. bench/run.ts spawns it exactly as it spawns the action.
import http from 'node:http';

const [base, clientId, clientSecret, ...ids] = process.argv.slice(2);
// Loaded only for an https URL, as the floor of a TLS run; the action's loopback runs are plain http.
const transport = base.startsWith('https:') ? await import('node:https') : http;

function call(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const request = transport.request(new URL(path, base), { method, headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve(JSON.parse(text)));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const form = new URLSearchParams({
  grant_type: 'client_credentials',
  client_id: clientId,
  client_secret: clientSecret,
});
const token = await call(
  'POST',
  '/oauth/token',
  { 'content-type': 'application/x-www-form-urlencoded' },
  form.toString(),
);
const result = await call(
  'POST',
  '/api/v2/webhook_deliveries/redeliveries',
  { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
  JSON.stringify({ delivery_ids: ids }),
);
if (result.webhook_deliveries.length !== ids.length) process.exit(1);
