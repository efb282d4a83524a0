/**
 * `npm run demo`: the bundled action against the sandbox on loopback, offline, with no credentials
 * of yours. Two steps, as a workflow would run them: a dry run that discovers what errored in the
 * last 24 hours, then a real run on those IDs (plus one from another organisation, which HINDSITE
 * drops) that waits for the new deliveries to settle.
 */
import { runBundledAction, type StepResult } from './step.js';
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
    'Step 1: discover what errored in the last 24 h (dry-run: true)',
    `success (exit code 0): it selects the newest delivery of each of the ${seed.erroredIds.length} events that errored, and sends nothing.`,
  );
  const dryRun = await runBundledAction({ ...common, since: '24h', 'dry-run': 'true' });
  show(dryRun);

  const selected = JSON.parse(dryRun.outputs['selected-ids'] ?? '[]') as string[];
  const [foreign] = seed.foreignIds;
  announce(
    'Step 2: redeliver them and wait for the receiver (wait: true)',
    [
      'this step FAILS (exit code 1), on purpose. It redelivers every selected ID and HINDSITE drops',
      'the one from another organisation; then one receiver refuses its redelivery again, which',
      'wait: true reports as an ::error:: line and a failed step. That failure is what it shows.',
    ].join('\n  '),
  );
  const real = await runBundledAction({
    ...common,
    'delivery-ids': [...selected, foreign].join('\n'),
    wait: 'true',
    'poll-interval-seconds': '1',
    'wait-timeout-seconds': '30',
  });
  show(real);

  // What the demo promises: the dry run selects exactly the seeded errored events, the real run
  // redelivers them, drops the foreign ID, and fails only because one receiver still refuses.
  const expectations: [string, boolean][] = [
    [
      'the dry run succeeds and selects the errored events',
      dryRun.code === 0 && selected.sort().join() === [...seed.erroredIds].sort().join(),
    ],
    [
      'the real run creates one redelivery per selected event',
      real.outputs['created-count'] === String(selected.length),
    ],
    ['the foreign ID is dropped', real.outputs['dropped-ids'] === JSON.stringify([foreign])],
    [
      'the step fails because one redelivery failed again',
      real.code === 1 && (JSON.parse(real.outputs['failing-ids'] ?? '[]') as string[]).length === 1,
    ],
    [
      'no secret is printed',
      !`${dryRun.stdout}${real.stdout}${dryRun.stderr}${real.stderr}`
        .split('\n')
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
}
process.exitCode = failed ? 1 : 0;
