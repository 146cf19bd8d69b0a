// size: each package's browser bundle, raw and gzip (`gzip -9n`, as the goals were
// measured; zlib level 9 if there is no gzip, a few dozen bytes apart).
// Ours is what the package ships for the browser: the entry module, the wasm-bindgen glue and
// the wasm. Its JS is not minified in pkg/; a bundler would minify it, so that figure is given
// too (esbuild --minify, as Vite does).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

function gzip(buf) {
  const r = spawnSync('gzip', ['-9nc'], { input: buf, maxBuffer: 64 << 20 });
  return r.status === 0 ? r.stdout.length : gzipSync(buf, { level: 9 }).length;
}

function measure(root, files, minify) {
  let raw = 0;
  let gz = 0;
  let gzMin = 0;
  for (const f of files) {
    const buf = readFileSync(join(root, f));
    raw += buf.length;
    gz += gzip(buf);
    gzMin += minify && f.endsWith('.js') ? gzip(Buffer.from(minify(buf.toString()))) : gzip(buf);
  }
  return { raw, gzip: gz, gzipMinified: gzMin };
}

/** The rows of the size table: `{ id, name, files, raw, gzip, gzipMinified }`. */
export async function sizes(root) {
  let minify = null;
  try {
    const esbuild = await import('esbuild');
    minify = (code) => esbuild.transformSync(code, { minify: true, format: 'esm', target: 'es2022' }).code;
  } catch {
    // no esbuild: the minified column repeats the shipped figure
  }
  const nm = join(root, 'node_modules');
  const ours = ['pkg/webstomp_wasm.js', 'pkg/webstomp_wasm_core.js', 'pkg/webstomp_wasm_core_bg.wasm'];
  const rows = [
    { id: 'wasm', name: 'webstomp-wasm (JS + wasm)', files: ours, ...measure(root, ours, minify) },
    { id: 'wasm-binary', name: '  of which wasm', files: [ours[2]], ...measure(root, [ours[2]], null) },
    { id: 'wasm-js', name: '  of which JS (entry + glue)', files: ours.slice(0, 2), ...measure(root, ours.slice(0, 2), minify) },
  ];
  const stompjs = '@stomp/stompjs/bundles/stomp.umd.min.js';
  const webstomp = 'webstomp-client/dist/webstomp.min.js';
  const sockjs = 'sockjs-client/dist/sockjs.min.js';
  for (const [id, name, files] of [
    ['stompjs', '@stomp/stompjs', [stompjs]],
    ['webstomp-client', 'webstomp-client', [webstomp]],
    ['sockjs-client', 'sockjs-client', [sockjs]],
    ['stompjs+sockjs', '@stomp/stompjs + sockjs-client', [stompjs, sockjs]],
  ]) {
    rows.push({ id, name, files: files.map((f) => `node_modules/${f}`), ...measure(nm, files, null) });
  }
  return rows;
}
