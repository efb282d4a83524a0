/**
 * Jest globalSetup: the whole run gets a temp dir of its own (TMPDIR, which os.tmpdir() reads and
 * the workers and the processes they spawn inherit), so that global-teardown.ts can tell whether
 * the tests left anything in it. action.yml is parsed here, once, and handed to the workers the
 * same way.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GlobalConfig, ProjectConfig } from 'jest';
import { parse } from 'yaml';

export interface TempCheck {
  dir: string;
  /** TMPDIR as it was before the run (undefined: unset). */
  saved: string | undefined;
}

export default function globalSetup(_: GlobalConfig, project: ProjectConfig): void {
  const check: TempCheck = {
    dir: mkdtempSync(join(tmpdir(), 'hindsite-tests-')),
    saved: process.env['TMPDIR'],
  };
  // Read by global-teardown.ts, which jest runs in this same process.
  (globalThis as { hindsiteTempCheck?: TempCheck }).hindsiteTempCheck = check;
  process.env['TMPDIR'] = check.dir;
  // ACTION_YAML_ENV of scripts/step.ts, which jest cannot load here (its imports name .js files).
  const actionYaml: unknown = parse(readFileSync(join(project.rootDir, 'action.yml'), 'utf8'));
  process.env['HINDSITE_TEST_ACTION_YAML'] = JSON.stringify(actionYaml);
}
