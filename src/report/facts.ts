/**
 * What the report's texts are made of: the run's lists of IDs, its status (the headline), the texts
 * worked out once per run, and the few word helpers they share. Pure data and pure functions.
 */
import type { LedgerSnapshot } from '../model/ledger.js';

export const WARNING_IDS = 20;

export const KEEP_REPORT =
  'it stays on the runner only until the job ends: upload it with actions/upload-artifact to keep it (see "Keeping the report" in the README)';

/** The lists every rendering reads, empty where the run did not get that far. */
export interface Lists {
  selected: readonly string[];
  created: readonly string[];
  dropped: readonly string[];
  failed: readonly string[];
  refused: readonly string[];
  outcomeUnknown: readonly string[];
  unsent: readonly string[];
  blocked: readonly string[];
  failedAgain: readonly string[];
  failedAgainOriginals: readonly string[];
  unsettled: readonly string[];
  /** Of `unsettled`, the new deliveries that no poll ever listed. */
  unseen: readonly string[];
  /** Not sent: their event changed since they were selected (checked right before sending). */
  skipped: readonly string[];
}

/** The requested IDs that the given new deliveries retry, where that is known. */
export function originalsOf(
  newIds: readonly string[],
  ledger: LedgerSnapshot | undefined,
): string[] {
  if (!ledger) return [];
  return newIds.flatMap((id) => ledger.originalOf.get(id) ?? []);
}

/** "dlv_1 (new delivery dlv_9)": the original of each new delivery, where it is known. */
export function withOriginals(
  newIds: readonly string[],
  ledger: LedgerSnapshot | undefined,
): string[] {
  return newIds.map((id) => {
    const original = ledger?.originalOf.get(id);
    return original === undefined ? id : `${original} (new delivery ${id})`;
  });
}

/** Each new delivery with the delivery it retries, for the report file. */
export function createdPairs(
  ledger: LedgerSnapshot | undefined,
): { id: string; originalId?: string }[] {
  if (!ledger) return [];
  return ledger.createdIds.map((id) => ({ id, originalId: ledger.originalOf.get(id) }));
}

/**
 * The run's headline, decided here and nowhere else: the summary's first line and the log's last
 * say it, and it tells apart a run that redelivered, one with nothing to do, one asked to do
 * something that did nothing, a dry run and a failure.
 */
export type Status =
  /** ✅ Something was redelivered (and every ID is accounted for). */
  | { kind: 'redelivered'; text: string }
  /** ➖ Nothing to do: no failed delivery found, an explicitly empty list, or a plan gone stale. */
  | { kind: 'nothing-to-do'; text: string }
  /** ⚠️ Asked, but nothing was redelivered: every ID dropped, or discovery matched nothing. */
  | { kind: 'nothing-redelivered'; text: string; warning: string }
  /**
   * 📝 A dry run with something to approve, or ➖ one with nothing to approve (with a warning when
   * its discovery matched nothing at all).
   */
  | { kind: 'dry-run'; text: string; empty: boolean; warning?: string }
  /** ❌ The step fails with `text`. */
  | { kind: 'failed'; text: string };

export const STATUS_ICONS: Record<Status['kind'], string> = {
  redelivered: '✅',
  'nothing-to-do': '➖',
  'nothing-redelivered': '⚠️',
  'dry-run': '📝',
  failed: '❌',
};

/** The headline as one line: the icon, then the text. */
export function statusLine(status: Status): string {
  const icon = status.kind === 'dry-run' && status.empty ? '➖' : STATUS_ICONS[status.kind];
  return `${icon} ${status.text}`;
}

/** The headline's own ::warning::, if it has one. */
export function statusWarning(status: Status): string | undefined {
  return status.kind === 'nothing-redelivered' || status.kind === 'dry-run'
    ? status.warning
    : undefined;
}

/** What the report, the outputs and the summary all say of a run: worked out once per run. */
export interface RunText {
  lists: Lists;
  status: Status;
  /** Every warning, the status's own included (it is the ::warning:: of a run that did nothing). */
  warnings: string[];
  failure: string | undefined;
  /** After a failure: where the IDs stand and what went wrong in detail, for the log and summary. */
  details: string[];
  /** A checkpoint's word that the run is still checking (see stillChecking); undefined at the end. */
  checking: string | undefined;
}

export const sentenceCase = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Ends a message with a full stop, unless it has one. */
export const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

export const joinSentences = (...parts: string[]): string => parts.filter(Boolean).join(' ');

export function shortList(ids: readonly string[], max: number): string {
  const shown = ids.slice(0, max).join(', ');
  return ids.length > max ? `${shown} … and ${ids.length - max} more` : shown;
}

export function without(ids: readonly string[], left: readonly string[]): string[] {
  const out = new Set(left);
  return ids.filter((id) => !out.has(id));
}
