/**
 * `npm run demo`: the bundled action against the sandbox on loopback, offline, with no credentials
 * of yours. Four steps, as workflows would run them: a dry run that discovers what errored in the
 * last 24 hours and writes a plan; the plan applied (with its digest, as after an approval) and
 * waited for; the same plan applied again, which sends nothing; and an ID from another
 * organisation, which HINDSITE drops.
 */
import { removeDirs, runBundledAction, takeStepDirs, type StepResult } from './step.js';
import { renderMarkdown } from './terminal.js';
import { HindsiteSandbox, seedDemo } from '../sandbox/index.js';

const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);

/** Says what a step should do before it runs, so that a step meant to fail says so first. */
function announce(title: string, expected: string): void {
  console.log(`\n${bold(`━━ ${title} ━━`)}\n`);
  console.log(`Expected: ${expected}`);
}

function show(step: StepResult): void {
  console.log(`\n${bold('Log')}  (exit code ${step.code}, ${step.durationMs} ms)`);
  for (const line of step.stdout.split('\n')) {
    if (line.trim() && !line.startsWith('::add-mask::')) console.log(`  ${line}`);
  }
  console.log(`\n${bold('Outputs')}`);
  for (const [name, value] of Object.entries(step.outputs))
    console.log(`  ${name.padEnd(16)} ${value}`);
  console.log(`\n${bold('Job summary')}\n`);
  console.log(renderMarkdown(step.summary));
}

const sandbox = await HindsiteSandbox.start();
let failed = false;
try {
  const seed = seedDemo(sandbox);
  const common = {
    'client-id': seed.clientId,
    'client-secret': seed.clientSecret,
    'api-url': sandbox.url,
  };
  console.log(
    `HINDSITE sandbox on ${sandbox.url}: ${sandbox.deliveries().length} deliveries seeded in two organisations.`,
  );

  announce(
    'Step 1: plan: discover what errored in the last 24 h (dry-run: true)',
    `success (exit code 0): it selects the newest delivery of each of the ${seed.erroredIds.length} events that errored, sends nothing, and writes a plan (plan-file) with its digest (plan-digest) for a person to approve.`,
  );
  const plan = await runBundledAction({ ...common, since: '24h', 'dry-run': 'true' });
  show(plan);
  const selected = JSON.parse(plan.outputs['selected-ids'] ?? '[]') as string[];
  const approved = {
    'plan-file': plan.outputs['plan-file'] ?? '',
    'plan-digest': plan.outputs['plan-digest'] ?? '',
  };

  announce(
    'Step 2: apply the approved plan and wait for the receiver (plan-file, plan-digest, wait: true)',
    [
      'this step FAILS (exit code 1), on purpose. It checks each planned event again, redelivers',
      'exactly the planned deliveries, then one receiver refuses its redelivery again, which',
      'wait: true reports as an ::error:: line and a failed step. That failure is what it shows.',
    ].join('\n  '),
  );
  const applied = await runBundledAction({
    ...common,
    ...approved,
    wait: 'true',
    'poll-interval-seconds': '1',
    'wait-timeout-seconds': '30',
  });
  show(applied);

  announce(
    'Step 3: apply the same plan again',
    'success (exit code 0), sending nothing ("➖ Nothing to do"): every planned event has a newer delivery now (step 2), so each one is skipped as changed since the plan.',
  );
  const again = await runBundledAction({ ...common, ...approved });
  show(again);

  const [foreign] = seed.foreignIds;
  announce(
    'Step 4: redeliver an ID of another organisation (delivery-ids)',
    'success with a warning (exit code 0, "⚠️ Nothing redelivered"): HINDSITE drops the ID (dropped-ids), since it is not in this organisation, so nothing was redelivered.',
  );
  const dropped = await runBundledAction({ ...common, 'delivery-ids': foreign ?? '' });
  show(dropped);

  // What the demo promises: the plan selects exactly the seeded errored events, applying it
  // redelivers them and fails only because one receiver still refuses, applying it again sends
  // nothing, and the foreign ID is dropped.
  const steps = [plan, applied, again, dropped];
  const expectations: [string, boolean][] = [
    [
      'the plan succeeds, selects the errored events, and has a digest',
      plan.code === 0 &&
        selected.sort().join() === [...seed.erroredIds].sort().join() &&
        /^[0-9a-f]{64}$/.test(approved['plan-digest']),
    ],
    [
      'applying the plan creates one redelivery per planned event',
      applied.outputs['created-count'] === String(selected.length),
    ],
    [
      'the apply fails because one redelivery failed again',
      applied.code === 1 &&
        (JSON.parse(applied.outputs['failed-again-ids'] ?? '[]') as string[]).length === 1,
    ],
    [
      'applying the plan again sends nothing: every event changed since the plan',
      again.code === 0 &&
        again.outputs['created-count'] === '0' &&
        again.outputs['skipped-count'] === String(selected.length),
    ],
    [
      'the foreign ID is dropped, and the step warns that nothing was redelivered',
      dropped.code === 0 &&
        dropped.outputs['dropped-ids'] === JSON.stringify([foreign]) &&
        dropped.stdout.includes(
          '::warning::Nothing redelivered: HINDSITE dropped the only delivery ID',
        ),
    ],
    [
      'no secret is printed',
      !steps
        .flatMap((step) => `${step.stdout}${step.stderr}`.split('\n'))
        .some((line) => line.includes(seed.clientSecret) && !line.startsWith('::add-mask::')),
    ],
  ];
  console.log(`\n${bold('Checks')}`);
  for (const [what, ok] of expectations) {
    console.log(`  ${ok ? '✔' : '✘'} ${what}`);
    failed ||= !ok;
  }
} finally {
  await sandbox.close();
  // The steps' runner files, reports and plan: the demo has shown what it needed of them.
  removeDirs(takeStepDirs());
}
process.exitCode = failed ? 1 : 0;
