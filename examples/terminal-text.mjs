// Markdown as a terminal shows it: the hover text of `polyglot-abi hover` is Markdown for the
// editor; the demos print it with tables aligned and no markup characters.
import { table } from './demo-session.mjs';

const cells = (line) => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
const plain = (text) => text.replace(/\*\*(.+?)\*\*/g, '$1').replace(/`([^`]*)`/g, '$1');

export function markdownForTerminal(markdown) {
  const out = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('```')) continue;
    if (line.trim().startsWith('|')) {
      const rows = [];
      for (; i < lines.length && lines[i].trim().startsWith('|'); i++) {
        if (!/^\s*\|[\s:|-]+\|\s*$/.test(lines[i])) rows.push(cells(lines[i]).map(plain));
      }
      i--;
      out.push(table(rows, '  '));
      continue;
    }
    out.push(plain(line));
  }
  return out.join('\n');
}
