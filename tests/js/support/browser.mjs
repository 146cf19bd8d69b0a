// Shared by the JS-level suites: a tiny static HTTP server and headless Chromium through
// playwright-core (the system's /usr/bin/chromium; nothing is downloaded).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { access, readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const PKG = join(ROOT, 'pkg');
export const PAGE = join(ROOT, 'tests/js/page');

/**
 * Fails with a clear message unless pkg/ holds a build of the current js/ sources (the suites
 * test the built package, as users get it).
 */
export async function requireBuiltPackage() {
  for (const file of ['webstomp_wasm.js', 'webstomp_wasm.d.ts', 'webstomp_wasm_core.js', 'webstomp_wasm_core_bg.wasm']) {
    try {
      await access(join(PKG, file));
    } catch {
      throw new Error(`pkg/${file} is missing: run \`npm run build\` first`);
    }
  }
  // pkg/webstomp_wasm.js is minified; the build keeps its source's hash beside it.
  const [source, built] = await Promise.all([
    readFile(join(ROOT, 'js/webstomp_wasm.js')),
    readFile(join(PKG, 'webstomp_wasm.js.sha256'), 'utf8').catch(() => ''),
  ]);
  if (createHash('sha256').update(source).digest('hex') !== built.trim()) {
    throw new Error('pkg/webstomp_wasm.js was not built from js/webstomp_wasm.js: pkg/ is stale, run `npm run build`');
  }
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * Serves directories on http://127.0.0.1:PORT. `mounts` maps a URL prefix ('/pkg/') to a
 * directory; the longest matching prefix wins. `/` serves `index.html`. Resolves to
 * `{ url, close() }`.
 */
export async function serve(mounts) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (path.endsWith('/')) path += 'index.html';
      const prefix = prefixes.find((p) => path.startsWith(p));
      if (!prefix) throw Object.assign(new Error('no mount'), { code: 'ENOENT' });
      const base = resolve(mounts[prefix]);
      const file = normalize(join(base, path.slice(prefix.length)));
      if (file !== base && !file.startsWith(base + sep)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' || e.code === 'ENOTDIR' ? 404 : 500, { 'content-type': 'text/plain' });
      res.end(String(e.message));
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

/** The flags Chromium needs here (as root, in a container); see ENVIRONMENT.md. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Lets the memory test force a garbage collection (window.gc).
  '--js-flags=--expose-gc',
];

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}

/**
 * Opens `url` in a new page and waits for `window.ready` (set by the page's module script).
 * Uncaught page errors and console errors are collected in `page.problems`, so a test can
 * assert that a scenario produced none.
 */
export async function openPage(browser, url, { readyTimeout = 10_000 } = {}) {
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  const problems = [];
  page.problems = problems;
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push('console.error: ' + m.text());
  });
  await page.goto(url);
  try {
    await page.waitForFunction(() => window.ready === true || window.loadError, null, { timeout: readyTimeout });
  } catch (e) {
    throw new Error(`the page at ${url} did not load: ${problems.join('; ') || e.message}`);
  }
  const loadError = await page.evaluate(() => window.loadError);
  if (loadError) throw new Error(`the page at ${url} failed to load: ${loadError}`);
  return page;
}
