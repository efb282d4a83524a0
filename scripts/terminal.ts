/** Renders the action's job summary (GitHub Markdown) readably in a terminal. */
export function renderMarkdown(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('|')) {
        const cells = splitRow(lines[i] ?? '');
        if (!cells.every((cell) => /^-+$/.test(cell))) rows.push(cells.map(plain));
        i++;
      }
      i--;
      const widths =
        rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ??
        [];
      rows.forEach((row, index) => {
        out.push(
          `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd(),
        );
        if (index === 0) out.push(`  ${widths.map((width) => '─'.repeat(width)).join('  ')}`);
      });
      continue;
    }
    const heading = /^(#+)\s+(.*)$/.exec(line);
    if (heading)
      out.push(
        (heading[1]?.length ?? 0) <= 2
          ? `${plain(heading[2] ?? '').toUpperCase()}`
          : `▸ ${plain(heading[2] ?? '')}`,
      );
    else out.push(plain(line));
  }
  return out.join('\n');
}

function splitRow(line: string): string[] {
  return line
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

function plain(text: string): string {
  return text
    .replace(/<\/?sub>/g, '')
    .replace(/\*\*(.*?)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
