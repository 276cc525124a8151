#!/usr/bin/env node
// Serves a static folder (default dist/web) for the demo page, with no
// dependencies: `node scripts/serve.mjs dist/web`. HOST (default 127.0.0.1)
// and PORT (default 8080; 0 picks a free port) come from the environment.
// Prints one line with the address once it listens.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

// The same policy as the page's <meta http-equiv>, plus frame-ancestors, which
// only a header can set: any course page may embed the demo.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  'frame-ancestors *',
].join('; ');

// Cross-origin isolation (COOP and COEP): the page may then share memory
// with its model worker, which is how Stop ends a sweep with the path so far
// (web/README.md). Every file here is same-origin, so require-corp costs nothing.
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const rootArg = process.argv[2] ?? 'dist/web';
let root;
try {
  root = await fs.realpath(path.resolve(rootArg));
  if (!(await fs.stat(root)).isDirectory()) throw new Error('not a directory');
} catch (err) {
  console.error(`serve: cannot serve '${rootArg}': ${err.message}`);
  process.exit(2);
}

const host = process.env.HOST || '127.0.0.1';
const portText = process.env.PORT ?? '8080';
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) {
  console.error(`serve: PORT must be an integer from 0 to 65535, got '${portText}'`);
  process.exit(2);
}

function send(res, status, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Content-Security-Policy': CSP,
    ...ISOLATION,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  res.end(body);
}

// Resolves a URL path inside root, or null when it would leave root (also
// through a symbolic link) or does not name a file.
async function resolveFile(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  let file = path.join(root, path.normalize('/' + decoded));
  try {
    if ((await fs.stat(file)).isDirectory()) file = path.join(file, 'index.html');
    const real = await fs.realpath(file);
    if (real !== root && !real.startsWith(root + path.sep)) return null;
    return (await fs.stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

const server = http.createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'Method not allowed\n');
    return;
  }
  const urlPath = (req.url ?? '/').split(/[?#]/, 1)[0];
  const file = await resolveFile(urlPath);
  if (!file) {
    send(res, 404, 'Not found\n');
    return;
  }
  let body;
  try {
    body = await fs.readFile(file);
  } catch {
    send(res, 404, 'Not found\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Content-Security-Policy': CSP,
    ...ISOLATION,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
});

server.on('error', (err) => {
  console.error(`serve: ${err.message}`);
  process.exit(1);
});

server.listen(port, host, () => {
  const address = server.address();
  const shown = address.family === 'IPv6' || address.family === 6 ? `[${address.address}]` : address.address;
  console.log(`Serving sparse-iht demo at http://${shown}:${address.port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
