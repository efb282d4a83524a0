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
  /** Planned deliveries whose event was checked again through the list API. */
  rechecked: number;
  /** Planned deliveries without a known event (explicit IDs): applied as planned. */
  asPlanned: number;
  changed: ChangedDelivery[];
}
