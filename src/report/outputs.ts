/**
 * The step's outputs: every output of action.yml, with the list outputs cut to fit what GitHub keeps
 * of a job's outputs (the report file has every list in full).
 */
import type { RunResult } from '../run/result.js';
import { formatCount } from '../model/text.js';
import { KEEP_REPORT, type Lists } from './facts.js';

/** GitHub refuses a step output over 1 MiB; stay clear of it with the name and framing. */
export const MAX_OUTPUT_BYTES = 1024 * 1024 - 1024;

/**
 * GitHub limits a job's outputs to 1 MB counted as UTF-16 (two bytes per character), and users map
 * these lists into job outputs: all list outputs of one run stay under this many characters.
 */
export const LIST_OUTPUTS_CHARS = 500_000;

/**
 * The list outputs, cut where needed so that together they stay under `budget` characters: the
 * longest lists are cut first, to the same length, so that short lists stay whole.
 */
export function fitLists(
  lists: [string, readonly string[]][],
  budget: number,
): Map<string, { json: string; cut: number; total: number }> {
  const sizes = lists.map(([, ids]) =>
    ids.reduce((sum, id, index) => sum + JSON.stringify(id).length + (index > 0 ? 1 : 0), 2),
  );
  let cap = Math.max(...sizes, 0);
  if (sizes.reduce((a, b) => a + b, 0) > budget) {
    // The largest per-list cap whose total fits.
    let low = 2;
    let high = cap;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      const total = sizes.reduce((sum, size) => sum + Math.min(size, middle), 0);
      if (total <= budget) low = middle;
      else high = middle - 1;
    }
    cap = low;
  }
  const fitted = new Map<string, { json: string; cut: number; total: number }>();
  lists.forEach(([name, ids]) => {
    const { json, cut } = jsonListWithin(ids, cap, MAX_OUTPUT_BYTES);
    fitted.set(name, { json, cut, total: ids.length });
  });
  return fitted;
}

/**
 * A cut failed-ids holds only IDs that the cut refused-ids and outcome-unknown-ids hold, so that it stays
 * their union as far as it goes (each list cut on its own would keep different IDs).
 */
export function consistentFailed(
  fitted: Map<string, { json: string; cut: number; total: number }>,
  failed: readonly string[],
): void {
  const fit = fitted.get('failed-ids');
  if (!fit || fit.cut === 0) return;
  const kept = new Set(
    ['refused-ids', 'outcome-unknown-ids'].flatMap(
      (name) => JSON.parse(fitted.get(name)?.json ?? '[]') as string[],
    ),
  );
  const candidates = failed.filter((id) => kept.has(id));
  const { json, cut } = jsonListWithin(candidates, fit.json.length, MAX_OUTPUT_BYTES);
  const shown = candidates.length - cut;
  fitted.set('failed-ids', { json, cut: failed.length - shown, total: failed.length });
}

/**
 * The JSON array of as many IDs as fit in `maxChars` characters (and `maxBytes` bytes of UTF-8);
 * `cut` is how many were left out.
 */
export function jsonListWithin(
  ids: readonly string[],
  maxChars: number,
  maxBytes = Infinity,
): { json: string; cut: number } {
  // One pass over the sizes rather than stringifying ever shorter prefixes of a long list.
  let chars = 2;
  let bytes = 2;
  let fits = 0;
  for (const id of ids) {
    const quoted = JSON.stringify(id);
    const comma = fits > 0 ? 1 : 0;
    if (chars + quoted.length + comma > maxChars) break;
    const size = Buffer.byteLength(quoted) + comma;
    if (bytes + size > maxBytes) break;
    chars += quoted.length + comma;
    bytes += size;
    fits++;
  }
  return {
    json: JSON.stringify(fits === ids.length ? ids : ids.slice(0, fits)),
    cut: ids.length - fits,
  };
}

/**
 * Every output of action.yml, in order, with the list outputs cut to fit; and, when any was cut,
 * the warning that says which and where the full lists are.
 */
export function outputsOf(
  result: RunResult,
  lists: Lists,
  files: { requested: number; reportFile?: string; planFile?: string },
): { outputs: [string, string][]; cutWarning?: string } {
  const listOutputs: [string, readonly string[]][] = [
    ['selected-ids', lists.selected],
    ['created-ids', lists.created],
    ['dropped-ids', lists.dropped],
    ['failed-ids', lists.failed],
    ['refused-ids', lists.refused],
    ['outcome-unknown-ids', lists.outcomeUnknown],
    ['unsent-ids', lists.unsent],
    ['failed-again-ids', lists.failedAgain],
    ['failed-again-original-ids', lists.failedAgainOriginals],
    ['unsettled-ids', lists.unsettled],
  ];
  const fitted = fitLists(listOutputs, LIST_OUTPUTS_CHARS);
  consistentFailed(fitted, lists.failed);
  const json = (name: string): string => fitted.get(name)?.json ?? '[]';
  const outputs: [string, string][] = [
    ['requested-count', String(files.requested)],
    ['selected-count', String(lists.selected.length)],
    ['selected-ids', json('selected-ids')],
    ['skipped-count', String(result.selection?.skippedCount ?? 0)],
    ['plan-file', files.planFile ?? ''],
    ['plan-digest', files.planFile ? (result.planFile?.digest ?? '') : ''],
    ['created-count', String(lists.created.length)],
    ['created-ids', json('created-ids')],
    ['dropped-count', String(lists.dropped.length)],
    ['dropped-ids', json('dropped-ids')],
    ['failed-ids', json('failed-ids')],
    ['refused-ids', json('refused-ids')],
    ['outcome-unknown-ids', json('outcome-unknown-ids')],
    ['unsent-ids', json('unsent-ids')],
    ['completed-count', String(result.settle?.completedIds.length ?? 0)],
    ['failed-again-ids', json('failed-again-ids')],
    ['failed-again-original-ids', json('failed-again-original-ids')],
    ['unsettled-ids', json('unsettled-ids')],
    ['report-file', files.reportFile ?? ''],
  ];
  const cut = [...fitted]
    .filter(([, fit]) => fit.cut > 0)
    .map(
      ([name, fit]) => `${name} (${formatCount(fit.cut)} of ${formatCount(fit.total)} left out)`,
    );
  const cutWarning =
    cut.length === 0
      ? undefined
      : `Some list outputs were cut to keep all of them under ${formatCount(LIST_OUTPUTS_CHARS)} characters (GitHub limits a job's outputs to 1 MB): ${cut.join(', ')}. The full lists are in the report file${files.reportFile ? ` (${files.reportFile}, the report-file output)` : ''}; ${KEEP_REPORT}.`;
  return { outputs, cutWarning };
}
