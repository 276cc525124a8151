#!/usr/bin/env node
// `npx sparse-iht train|sweep|lipschitz …`: the native `iht` command line, run
// in WebAssembly. The same C++ parses the options and prints the output; this
// script only reads the CSV file that --data names and passes it in.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The CommonJS build carries the command line (the ES module build leaves it out).
const { load } = createRequire(import.meta.url)('./index.cjs');

const REASONS = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
};

const args = process.argv.slice(2);
const files = {};
for (let i = 0; i < args.length; ++i) {
  let path;
  if (args[i] === '--data' && i + 1 < args.length) path = args[i + 1];
  else if (args[i].startsWith('--data=')) path = args[i].slice('--data='.length);
  if (path === undefined || path === 'iris') continue;
  try {
    files[path] = readFileSync(path);
  } catch (error) {
    // The core reports "cannot read 'path': reason" with exit status 2, in
    // the words of the native command (strerror), not Node's.
    files[path] = { error: REASONS[error.code] ?? error.message };
  }
}

const iht = await load();
const { status, stdout, stderr } = iht.runCli(args, files);
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = status;
