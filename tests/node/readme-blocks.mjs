// The README's fenced code blocks and the markers that say how each is
// checked (issue #16). A marker is an HTML comment on the line before the
// fence, at the fence's indentation, which GitHub does not render:
//
//   <!-- readme-test: node id=api files=my.csv:tests/data/real/wine.csv -->
//
// Kinds: node (an ES module run in a project where `sparse-iht` resolves to
// this package), cjs (the same as CommonJS), shell (`$ ` lines run with
// build/native on PATH, the lines after each are its exact output), synopsis
// (the command line's flags, compared with `iht <command> --help`), cmake and
// cpp (built against the library), browser and iframe (opened in Chromium by
// tests/browser/readme.test.mjs), layout (every path exists), and
// skip reason="…" for a block that cannot run in a test. Every fence needs
// one, so a new block cannot go unchecked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.mjs';

export const README = join(ROOT, 'README.md');
export const KINDS = ['node', 'cjs', 'shell', 'synopsis', 'cmake', 'cpp', 'browser', 'iframe', 'layout', 'skip'];

/** Parses `key=value key="a value"` pairs; a bare word is a flag (true). */
function parseArgs(text) {
  const args = {};
  for (const m of text.matchAll(/([\w-]+)(?:=(?:"([^"]*)"|(\S+)))?/g)) {
    args[m[1]] = m[2] ?? m[3] ?? true;
  }
  return args;
}

/**
 * Every fenced block of a Markdown text: { line (1-based, of the opening
 * fence), lang, body (indentation removed), marker: { kind, args } | null }.
 */
export function fencedBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; ++i) {
    const open = lines[i].match(/^(\s*)(```+)\s*([\w-]*)\s*$/);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let j = i + 1;
    while (j < lines.length && !(lines[j].startsWith(indent + fence) && lines[j].trim() === fence)) ++j;
    if (j >= lines.length) throw new Error(`README line ${i + 1}: a code fence that never closes`);
    const body = lines
      .slice(i + 1, j)
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
      .join('\n');
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') --k;
    const m = k >= 0 ? lines[k].match(/^\s*<!-- readme-test: ([\w-]+)(.*?)-->\s*$/) : null;
    blocks.push({ line: i + 1, lang, body, marker: m ? { kind: m[1], args: parseArgs(m[2]) } : null });
    i = j;
  }
  return blocks;
}

export function readmeText() {
  return readFileSync(README, 'utf8');
}

export function readmeBlocks() {
  return fencedBlocks(readmeText());
}

/** `files=a.csv:tests/x.csv,b.csv:tests/y.csv` as [[name, repository path], …]. */
export function fixtureFiles(args) {
  if (!args.files) return [];
  return String(args.files)
    .split(',')
    .map((pair) => {
      const [name, from] = pair.split(':');
      return [name, join(ROOT, from)];
    });
}

/** The rows of the Markdown table whose header row is exactly `header`. */
export function markdownTable(text, header) {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim() === header);
  if (at < 0) throw new Error(`README has no table headed ${header}`);
  const rows = [];
  for (let i = at + 2; i < lines.length && lines[i].startsWith('|'); ++i) {
    rows.push(
      lines[i]
        .replace(/\\\|/g, '\u0000')
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/\u0000/g, '|')),
    );
  }
  return rows;
}
