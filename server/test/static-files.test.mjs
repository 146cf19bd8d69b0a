import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp } from '../lib/app.mjs';
import { parseHeader, parseMount, mimeType } from '../lib/static-files.mjs';
import { createStandInBroker } from '../test-support/stand-in-broker.mjs';
import { rawGet } from '../test-support/http.mjs';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'static-test-'));
const www = path.join(root, 'www');
const pkg = path.join(root, 'pkg');
fs.mkdirSync(path.join(www, 'sub'), { recursive: true });
fs.mkdirSync(pkg);
fs.writeFileSync(path.join(root, 'secret.txt'), 'TOP SECRET');
fs.writeFileSync(path.join(www, 'index.html'), '<!doctype html><title>demo</title>');
fs.writeFileSync(path.join(www, 'app.js'), 'export {}');
fs.writeFileSync(path.join(www, 'style.css'), 'body{}');
fs.writeFileSync(path.join(www, 'sub', 'index.html'), 'sub index');
fs.writeFileSync(path.join(pkg, 'webstomp_wasm.js'), 'export default 1');
fs.writeFileSync(path.join(pkg, 'webstomp_wasm_core_bg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
fs.writeFileSync(path.join(pkg, 'mod.mjs'), 'export {}');

let app;
test.before(async () => {
  app = await startApp({ backend: createStandInBroker(), statics: [parseMount(`/=${www}`), parseMount(`/pkg=${pkg}`)] });
});
test.after(async () => {
  await app.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('serves files with the right MIME types', async () => {
  const cases = [
    ['/', 'text/html; charset=utf-8', '<!doctype html><title>demo</title>'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8', 'export {}'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/pkg/webstomp_wasm.js', 'text/javascript; charset=utf-8', 'export default 1'],
    ['/pkg/mod.mjs', 'text/javascript; charset=utf-8'],
    ['/pkg/webstomp_wasm_core_bg.wasm', 'application/wasm'],
    ['/sub/', 'text/html; charset=utf-8', 'sub index'],
    ['/app.js?v=1', 'text/javascript; charset=utf-8'],
  ];
  for (const [p, type, body] of cases) {
    const r = await rawGet(app.url, p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-type'], type, p);
    if (body !== undefined) assert.equal(r.body, body, p);
  }
  assert.equal(mimeType('x.WASM'), 'application/wasm');
  assert.equal(mimeType('x.unknown'), 'application/octet-stream');
});

test('missing files are 404, directories redirect to a trailing slash, other methods 405', async () => {
  assert.equal((await rawGet(app.url, '/nope.js')).status, 404);
  assert.equal((await rawGet(app.url, '/pkg/nope.wasm')).status, 404);
  const r = await rawGet(app.url, '/sub?x=1');
  assert.equal(r.status, 301);
  assert.equal(r.headers.location, '/sub/?x=1');
  assert.equal((await rawGet(app.url, '//sub')).headers.location, '/sub/');
  assert.equal((await rawGet(app.url, '/app.js', { method: 'POST' })).status, 405);
  assert.equal((await rawGet(app.url, '//[zz')).status, 404, 'odd request targets are not a server error');
  const head = await rawGet(app.url, '/app.js', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], '9');
});

test('directory traversal is refused in every spelling', async () => {
  const attempts = [
    '/../secret.txt',
    '/pkg/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/pkg/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/pkg/%2e%2e%5c%2e%2e%5csecret.txt',
    '/sub/%00../../secret.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '/pkg%2f..%2f..%2fsecret.txt',
  ];
  for (const p of attempts) {
    const r = await rawGet(app.url, p);
    assert.ok([400, 403, 404].includes(r.status), `${p} -> ${r.status}`);
    assert.ok(!r.body.includes('TOP SECRET'), p);
  }
});

test('parseMount normalises prefixes and refuses bad specs', () => {
  assert.deepEqual(parseMount('pkg/=out', '/base'), { prefix: '/pkg', dir: '/base/out' });
  assert.deepEqual(parseMount('/=.', '/base'), { prefix: '/', dir: '/base' });
  assert.throws(() => parseMount('nodir'));
});

test('extra headers (--header) go on every static file, and only there', async () => {
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
  const withHeaders = await startApp({
    backend: createStandInBroker(),
    statics: [parseMount(`/=${www}`)],
    staticHeaders: [parseHeader(`Content-Security-Policy: ${csp}`), parseHeader('X-Test:  yes ')],
  });
  try {
    for (const p of ['/', '/app.js', '/sub/']) {
      const r = await rawGet(withHeaders.url, p);
      assert.equal(r.status, 200, p);
      assert.equal(r.headers['content-security-policy'], csp, p);
      assert.equal(r.headers['x-test'], 'yes', p);
    }
    const missing = await rawGet(withHeaders.url, '/nope.js');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['content-security-policy'], undefined);
  } finally {
    await withHeaders.stop();
  }
  assert.equal((await rawGet(app.url, '/')).headers['content-security-policy'], undefined, 'none unless asked for');
  for (const bad of ['no colon', ': v', 'Bad Name: v', 'X: a\r\nInjected: 1', 'X: a\0']) {
    assert.throws(() => parseHeader(bad), /bad --header/, JSON.stringify(bad));
  }
});
