/** Which delivery of an event speaks for it: the rule discovery, a plan's re-check and a lookup share. */
import { createdAtMs, eventKey, type Delivery, type DeliveryState } from '../model/domain.js';

/**
 * One redelivery per event: a retry keeps the event and adds a new row, and the original keeps its
 * state, so only the newest delivery of each event (per webhook: one event reaches every webhook
 * subscribed to it) says whether the event still needs a retry. When several rows share the newest
 * created_at, IDs say nothing about their order, so the event is retried only if all of them are in
 * the state asked for. Events in the order they happened (by their oldest delivery seen, the
 * original unless it is older than the window), so that a receiver gets them again with the least
 * disorder, and the events nearest to HINDSITE's retention limit go first.
 */
export function newestPerEventInState(deliveries: Delivery[], state: DeliveryState): Delivery[] {
  const newest = new Map<string, { time: number; first: number; rows: Delivery[] }>();
  for (const delivery of deliveries) {
    const key = eventKey(delivery) ?? `id\u0000${delivery.id}`;
    // Each row's time read once: this runs over every row of a discovery.
    const at = createdAtMs(delivery);
    const time = at ?? 0;
    const group = newest.get(key) ?? { time: -Infinity, first: Infinity, rows: [] };
    // An undated row says nothing of when its event happened: such events go last, not first.
    group.first = Math.min(group.first, at ?? Infinity);
    if (time > group.time) Object.assign(group, { time, rows: [delivery] });
    else if (time === group.time) group.rows.push(delivery);
    newest.set(key, group);
  }
  const selected: { first: number; time: number; delivery: Delivery }[] = [];
  for (const { first, time, rows } of newest.values()) {
    if (!rows.every((delivery) => delivery.state === state)) continue;
    // All tied rows failed alike: retry the event once, through any one of them.
    selected.push({ first, time, delivery: rows.reduce((a, b) => (byId(a, b) >= 0 ? a : b)) });
  }
  return selected
    .sort(
      (a, b) =>
        (a.first === b.first ? 0 : a.first - b.first) ||
        a.time - b.time ||
        byId(a.delivery, b.delivery),
    )
    .map(({ delivery }) => delivery);
}

/**
 * IDs in numeric-aware order (dlv_9 before dlv_10). One collator, made on first use: localeCompare
 * with options builds one per call (seconds for 100,000 rows), and making it at start-up would
 * load ICU for runs that never sort.
 */
let idOrder: Intl.Collator | undefined;
function byId(a: Delivery, b: Delivery): number {
  idOrder ??= new Intl.Collator('en', { numeric: true });
  return idOrder.compare(a.id, b.id);
}
