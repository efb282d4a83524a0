/**
 * .github/workflows/release.yml publishes exactly the commit its check job verified: the check job
 * checks the tag out with main's history, hands the commit's SHA on as a job output, and the
 * release job checks out that SHA, refuses a tag moved since, creates the release for the existing
 * tag and moves vX to that SHA. What the scripts do is tested in release.test.ts; this is the
 * wiring between them.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface Job {
  needs?: string | string[];
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  steps: Step[];
}

const workflow = parse(
  readFileSync(new URL('../.github/workflows/release.yml', import.meta.url), 'utf8'),
) as { jobs: Record<string, Job> };
const check = workflow.jobs['check'] as Job;
const release = workflow.jobs['release'] as Job;

const checkout = (job: Job): Step => {
  const steps = job.steps.filter((step) => step.uses?.startsWith('actions/checkout@'));
  expect(steps).toHaveLength(1);
  return steps[0] as Step;
};
/** The index of the one step whose `run` contains `text`. */
const stepRunning = (job: Job, text: string): number => {
  const indexes = job.steps.flatMap((step, index) => (step.run?.includes(text) ? [index] : []));
  expect(indexes).toHaveLength(1);
  return indexes[0] as number;
};
/** A step's command on one line, as the shell gets it from a folded or literal block. */
const command = (step: Step | undefined): string => (step?.run ?? '').replace(/\\?\n\s*/g, ' ');

describe('the release workflow', () => {
  it("check: the tag is checked out with main's history and checked against origin/main", () => {
    expect(checkout(check).with).toMatchObject({
      ref: 'refs/tags/${{ steps.tag.outputs.tag }}',
      'fetch-depth': 0,
    });
    const releaseCheck = check.steps[stepRunning(check, 'scripts/release-check.ts')];
    expect(command(releaseCheck)).toMatch(
      /^npx tsx scripts\/release-check\.ts "\$TAG" --main-ref origin\/main .*--github-output "\$GITHUB_OUTPUT"$/,
    );
    // Checked before the CI checks run on the commit, so the output is the commit they ran on.
    expect(check.steps.indexOf(releaseCheck as Step)).toBeLessThan(stepRunning(check, '.ci/run'));
  });

  it('check: its `sha` output is the commit the release check verified', () => {
    const releaseCheck = check.steps[stepRunning(check, 'scripts/release-check.ts')] as Step;
    expect(releaseCheck.id).toBeDefined();
    expect(check.outputs?.['sha']).toBe(`\${{ steps.${releaseCheck.id}.outputs.sha }}`);
  });

  it('release: publishes that SHA, not whatever the tag points at by then', () => {
    expect(release.needs).toBe('check');
    expect(release.env).toMatchObject({
      TAG: '${{ needs.check.outputs.tag }}',
      SHA: '${{ needs.check.outputs.sha }}',
    });
    // Nothing in the job reads the tag's commit from the tag itself.
    expect(JSON.stringify(release.steps)).not.toContain('refs/tags/${{');

    const guard = stepRunning(release, '[[ "$SHA" =~');
    const checkedOut = release.steps.indexOf(checkout(release));
    expect(checkout(release).with?.['ref']).toBe('${{ needs.check.outputs.sha }}');
    const moved = stepRunning(release, '.ci/check-tag-commit');
    const created = stepRunning(release, 'gh release create');
    const majorTag = stepRunning(release, '.ci/move-major-tag');

    // An empty SHA is refused before the checkout (which would take the default branch), a moved
    // tag before the release is created, and vX moves last.
    expect([guard, checkedOut, moved, created, majorTag]).toEqual(
      [guard, checkedOut, moved, created, majorTag].sort((a, b) => a - b),
    );
    expect(command(release.steps[moved])).toBe('bash .ci/check-tag-commit "$TAG" "$SHA"');
    expect(command(release.steps[created])).toMatch(
      /gh release create "\$TAG" --verify-tag --target "\$SHA" /,
    );
    expect(command(release.steps[majorTag])).toBe('bash .ci/move-major-tag "$TAG" "$SHA"');
  });

  it('only the release job may write', () => {
    expect(check.permissions).toEqual({ contents: 'read' });
    expect(release.permissions).toEqual({ contents: 'write' });
  });
});
