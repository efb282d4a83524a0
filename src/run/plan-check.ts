/** What applying a plan found before sending anything (see recheck.ts). */
/**
 * A selected delivery left alone because its event changed since the plan, or since it was selected
 * (checked again right before sending).
 */
export interface ChangedDelivery {
  id: string;
  eventId: string | null;
  webhookId: string | null;
  /** The state it was planned or selected in. */
  plannedState: string | null;
  reason: 'changed since the plan' | 'changed before sending';
  /** The event's newest delivery now, when the list shows one. */
  newestId: string | null;
  newestState: string | null;
}

/** What applying a plan found before sending anything. */
export interface PlanCheck {
  path: string;
  digest: string;
  createdAt: string;
  planned: number;
  /** Planned deliveries whose event was checked again through the list API: all of them. */
  rechecked: number;
  changed: ChangedDelivery[];
}

/**
 * A delivery that a dry run was given (or discovered) and its plan leaves out (see lookup.ts),
 * because applying could not check it again, or would skip it:
 * - `not found`: not in the list of deliveries (unknown, or another organisation's);
 * - `unknown event`: listed without an event or a state;
 * - `not newest`: its event already has a newer delivery (or the newest is in another state).
 */
export interface NotPlanned {
  id: string;
  reason: 'not found' | 'unknown event' | 'not newest';
  /** For `not newest`: the event's newest delivery, when the list shows one. */
  newestId: string | null;
  newestState: string | null;
}
