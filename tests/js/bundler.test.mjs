// Proof that the package works from a bundler: a tiny app that imports `webstomp-wasm` from
// node_modules (resolved through the top-level package.json's `exports`), built with Vite 7 in a
// temporary directory, served over http://127.0.0.1 and run in headless Chromium. The app
// connects over a scripted socket, which proves that the WebAssembly asset URL survived bundling
// and that the entry's top-level await works in the bundle.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { launchChromium, openPage, requireBuiltPackage, ROOT, serve } from './support/browser.mjs';

const APP = `
import webstomp, { over, client, VERSIONS } from 'webstomp-wasm';

// A scripted socket: answers CONNECT with CONNECTED, SUBSCRIBE with one MESSAGE, and closes
// on DISCONNECT (as RabbitMQ's Web-STOMP does).
class Socket {
  constructor() {
    this.readyState = 0;
    this.protocol = '';
    this.sent = [];
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
  }
  send(data) {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    this.sent.push(text);
    const reply = (s) => setTimeout(() => this.onmessage({ data: s }), 0);
    if (text.startsWith('CONNECT\\n')) reply('CONNECTED\\nversion:1.2\\nheart-beat:0,0\\n\\n\\0');
    if (text.startsWith('SUBSCRIBE\\n')) {
      reply('MESSAGE\\nsubscription:sub-0\\nmessage-id:1\\ndestination:/queue/app\\n\\nbundled ✓\\0');
    }
    if (text.startsWith('DISCONNECT\\n')) this.close(1000, '');
  }
  close(code, reason) {
    this.readyState = 3;
    setTimeout(() => this.onclose({ code, reason, wasClean: true }), 0);
  }
}

async function main() {
  const socket = new Socket();
  const stomp = webstomp.over(socket, { heartbeat: false });
  const states = [];
  stomp.onstatechange = (s) => states.push(s);
  const connecting = stomp.connect({ login: 'app' });
  socket.readyState = 1;
  socket.protocol = 'v12.stomp';
  socket.onopen({});
  const connected = await connecting;
  const body = await new Promise((resolve) => stomp.subscribe('/queue/app', (m) => resolve(m.body)));
  await stomp.disconnect();
  return {
    same: over === webstomp.over && client === webstomp.client,
    versions: VERSIONS.supportedVersions(),
    command: connected.command,
    version: stomp.version,
    body,
    states,
    sent: socket.sent.map((s) => s.split('\\n')[0]),
  };
}

main().then(
  (r) => { window.result = r; window.ready = true; },
  (e) => { window.loadError = String(e && e.stack || e); },
);
`;

const HTML = `<!doctype html>
<meta charset="utf-8">
<title>webstomp-wasm in a Vite bundle</title>
<link rel="icon" href="data:,">
<script>window.addEventListener('error', (e) => { window.loadError = String(e.message || e); });</script>
<script type="module" src="./main.js"></script>
`;

describe('bundled with Vite 7 from node_modules', { timeout: 60_000 }, () => {
  let dir;
  let server;
  let browser;

  before(async () => {
    await requireBuiltPackage();
    dir = await mkdtemp(join(tmpdir(), 'webstomp-vite-'));
    await mkdir(join(dir, 'node_modules'));
    // The package as an app's node_modules holds it: resolved through package.json `exports`.
    await symlink(ROOT, join(dir, 'node_modules', 'webstomp-wasm'), 'dir');
    await writeFile(join(dir, 'index.html'), HTML);
    await writeFile(join(dir, 'main.js'), APP);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('vite build, then the bundle connects over a scripted socket in Chromium', async () => {
    await build({
      root: dir,
      configFile: false,
      logLevel: 'warn',
      // Top-level await in the package's entry needs an ES2022 target.
      build: { target: 'es2022', outDir: join(dir, 'dist'), emptyOutDir: true, reportCompressedSize: false },
    });
    const assets = await readdir(join(dir, 'dist', 'assets'));
    const wasm = assets.filter((f) => f.endsWith('.wasm'));
    const js = assets.filter((f) => f.endsWith('.js'));
    assert.equal(wasm.length, 1, `one .wasm asset emitted (assets: ${assets.join(', ')})`);
    assert.equal(js.length, 1, `one JS chunk (assets: ${assets.join(', ')})`);
    const bundle = await readFile(join(dir, 'dist', 'assets', js[0]), 'utf8');
    assert.ok(bundle.includes(wasm[0]), 'the bundle refers to the emitted .wasm asset by its hashed name');

    server = await serve({ '/': join(dir, 'dist') });
    browser = await launchChromium();
    const page = await openPage(browser, server.url + '/');
    const r = await page.evaluate(() => window.result);
    assert.deepEqual(r, {
      same: true,
      versions: '1.2,1.1,1.0',
      command: 'CONNECTED',
      version: '1.2',
      body: 'bundled ✓',
      states: ['connecting', 'connected', 'disconnecting', 'closed'],
      sent: ['CONNECT', 'SUBSCRIBE', 'DISCONNECT'],
    });
    assert.deepEqual(page.problems, [], 'no errors in the page');
  });
});
