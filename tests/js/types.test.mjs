// The TypeScript declarations: tests/js/types/usage.ts (the whole API as a TS user writes it,
// plus `@ts-expect-error` lines for wrong calls) must type-check with `tsc --noEmit --strict`,
// importing 'webstomp-wasm' through the package's `exports`, under both the bundler and the
// Node 16 module resolution.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './support/browser.mjs';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const USAGE = join(ROOT, 'tests/js/types/usage.ts');

function tsc(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSC, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, output: (stdout + stderr).trim() });
    });
  });
}

describe('TypeScript declarations', { timeout: 90_000 }, () => {
  test('the packaged declarations are js/webstomp_wasm.d.ts', async () => {
    const [source, packaged] = await Promise.all([
      readFile(join(ROOT, 'js/webstomp_wasm.d.ts'), 'utf8'),
      readFile(join(ROOT, 'pkg/webstomp_wasm.d.ts'), 'utf8').catch(() => null),
    ]);
    assert.ok(packaged !== null, 'pkg/webstomp_wasm.d.ts is missing: run `npm run build`');
    assert.equal(packaged, source, 'pkg/ is stale: run `npm run build`');
  });

  for (const resolution of ['bundler', 'node16']) {
    test(`usage.ts type-checks (--strict, moduleResolution ${resolution}); wrong calls are errors`, async () => {
      const module = resolution === 'bundler' ? 'esnext' : 'node16';
      const base = ['--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom'];
      const r = await tsc([...base, '--module', module, '--moduleResolution', resolution, '--listFiles', USAGE]);
      const diagnostics = r.output.split('\n').filter((l) => /error TS\d+/.test(l));
      assert.deepEqual(diagnostics, [], 'tsc reported errors');
      assert.equal(r.code, 0, r.output);
      assert.ok(
        r.output.split('\n').some((l) => l.endsWith('/pkg/webstomp_wasm.d.ts')),
        "'webstomp-wasm' resolves to pkg/webstomp_wasm.d.ts through package.json exports",
      );
    });
  }
});
