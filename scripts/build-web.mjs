#!/usr/bin/env node
// Assembles the static demo page in dist/web by copying only: web/* as is, the
// package's browser entry and its WebAssembly into lib/, and uPlot's
// ESM build (with one line patched, scripts/patch-uplot.mjs) and stylesheet
// into vendor/. Needs dist/index.mjs (scripts/build.sh).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { patchUplot } from './patch-uplot.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(repo, 'dist', 'web');
// options.mjs: the option table, which the page's main thread reads without loading the WebAssembly;
// digits.mjs: the digits data set, which the page's worker imports only for data=digits.
const pkgFiles = ['index.mjs', 'sparse-iht-core.mjs', 'options.mjs', 'digits.mjs'];
// Binary files the modules load by URL: the WebAssembly beside its glue.
const pkgAssets = ['sparse-iht-core.wasm'];

function fail(message) {
  console.error(`build-web: ${message}`);
  process.exit(1);
}

for (const name of [...pkgFiles, ...pkgAssets]) {
  if (!fs.existsSync(path.join(repo, 'dist', name))) {
    fail(`dist/${name} is missing; build the package first (bash scripts/build.sh wasm)`);
  }
}

// The page loads lib/index.mjs; every module it imports relatively must be
// copied beside it, or the worker fails at run time with a 404.
for (const name of pkgFiles) {
  const text = fs.readFileSync(path.join(repo, 'dist', name), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g)].map((m) => m[2]);
  for (const spec of specifiers) {
    const target = path.posix.normalize(spec);
    if (!pkgFiles.includes(target.replace(/^\.\//, ''))) {
      fail(`dist/${name} imports '${spec}', which build-web does not copy`);
    }
  }
  // And every file it fetches by new URL('…', import.meta.url).
  for (const m of text.matchAll(/new URL\((['"])([^'"]+)\1,\s*import\.meta\.url\)/g)) {
    if (!pkgAssets.includes(path.posix.normalize(m[2]).replace(/^\.\//, ''))) {
      fail(`dist/${name} fetches '${m[2]}', which build-web does not copy`);
    }
  }
}

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'lib'), { recursive: true });
fs.mkdirSync(path.join(out, 'vendor'), { recursive: true });

// The folder's README documents the sources; the site does not need it.
fs.cpSync(path.join(repo, 'web'), out, { recursive: true, filter: (from) => !from.endsWith('README.md') });
for (const name of [...pkgFiles, ...pkgAssets]) {
  fs.copyFileSync(path.join(repo, 'dist', name), path.join(out, 'lib', name));
}
const uplot = path.join(repo, 'node_modules', 'uplot', 'dist');
for (const name of ['uPlot.esm.js', 'uPlot.min.css']) {
  const from = path.join(uplot, name);
  if (!fs.existsSync(from)) fail(`${path.relative(repo, from)} is missing; run npm ci`);
  if (name.endsWith('.js')) {
    try {
      fs.writeFileSync(path.join(out, 'vendor', name), patchUplot(fs.readFileSync(from, 'utf8'), path.relative(repo, from)));
    } catch (err) {
      fail(err.message);
    }
  } else fs.copyFileSync(from, path.join(out, 'vendor', name));
}

console.log(`build-web: wrote ${path.relative(repo, out)}/`);
