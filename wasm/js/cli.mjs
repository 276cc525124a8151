#!/usr/bin/env node
// `npx sparse-iht train|sweep|lipschitz …`: the native `iht` command line, run
// in WebAssembly. The same C++ parses the options and prints the output; this
// script only opens the CSV file that --data names and hands it over in 64 KiB
// pieces as the core asks for them, so a large file is never whole in memory.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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
  files[path] = pieces(path);
}

// The file's pieces, in order, then null; { error } when it cannot be read.
// The core reports "cannot read 'path': reason" with exit status 2, in the
// words of the native command (strerror), not Node's.
function pieces(path) {
  let fd;
  try {
    fd = openSync(path, 'r');
    // A directory opens; reading it is what fails.
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    return { error: REASONS[error.code] ?? error.message };
  }
  const buffer = Buffer.alloc(1 << 16);
  let position = 0;
  return {
    // Lets the core read the values straight into the matrix (CsvReader::expect_bytes).
    size: fstatSync(fd).size,
    next() {
      if (fd === undefined) return null;
      const got = readSync(fd, buffer, 0, buffer.length, position);
      position += got;
      if (got === 0) {
        closeSync(fd);
        fd = undefined;
        return null;
      }
      return buffer.subarray(0, got);
    },
  };
}

const iht = await load();
// A sweep's progress bar, as the native command draws it, only on a terminal.
const progress = process.stderr.isTTY ? (bar) => { process.stderr.write(bar); } : undefined;
const { status, stdout, stderr } = iht.runCli(args, files, progress);
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = status;
