/**
 * `npm run docs:action`: rewrites the README's Inputs and Outputs tables from action.yml, so that
 * the two never disagree (a test fails when they do). The tables are written compact, under
 * `<!-- prettier-ignore -->`: aligned, their padding alone would take a third of the README's
 * size budget.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionYaml } from './step.js';
import { actionYaml } from './step.js';

export const INPUTS_MARKER = '<!-- inputs: generated from action.yml by npm run docs:action -->';
export const OUTPUTS_MARKER = '<!-- outputs: generated from action.yml by npm run docs:action -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const code = (text: string | undefined): string => (text ? `\`${cell(text)}\`` : '');

export function inputsTable(action: ActionYaml): string {
  return [
    '| Input | Default | Description |',
    '| --- | --- | --- |',
    ...Object.entries(action.inputs).map(
      ([name, spec]) => `| ${code(name)} | ${code(spec.default)} | ${cell(spec.description)} |`,
    ),
  ].join('\n');
}

export function outputsTable(action: ActionYaml): string {
  return [
    '| Output | Description |',
    '| --- | --- |',
    ...Object.entries(action.outputs).map(
      ([name, spec]) => `| ${code(name)} | ${cell(spec.description)} |`,
    ),
  ].join('\n');
}

/** The lines of the table that follows `marker` (and its `<!-- prettier-ignore -->`). */
export function tableAfter(markdown: string, marker: string): { start: number; end: number } {
  const lines = markdown.split('\n');
  const at = lines.indexOf(marker);
  if (at < 0) throw new Error(`No line "${marker}" found.`);
  const start = lines.findIndex((line, index) => index > at && line.startsWith('|'));
  if (start < 0 || lines.slice(at + 1, start).some((line) => !/^(<!-- .* -->)?$/.test(line))) {
    throw new Error(`No table right after "${marker}".`);
  }
  const after = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return { start, end: after < 0 ? lines.length : after };
}

/** The markdown with the table after `marker` replaced by `table`. */
export function withTable(markdown: string, marker: string, table: string): string {
  const lines = markdown.split('\n');
  const { start, end } = tableAfter(markdown, marker);
  return [...lines.slice(0, start), table, ...lines.slice(end)].join('\n');
}

/** The table after `marker`, as its text. */
export function tableText(markdown: string, marker: string): string {
  const { start, end } = tableAfter(markdown, marker);
  return markdown.split('\n').slice(start, end).join('\n');
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const readme = join(resolve(import.meta.dirname, '..'), 'README.md');
  let text = readFileSync(readme, 'utf8');
  text = withTable(text, INPUTS_MARKER, inputsTable(actionYaml));
  text = withTable(text, OUTPUTS_MARKER, outputsTable(actionYaml));
  writeFileSync(readme, text);
}
