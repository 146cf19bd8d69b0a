// Shrinks the package in pkg/ after wasm-bindgen (run by scripts/build.sh):
// 1. wasm-opt: optimise for size, drop the exports the glue never uses, and give every import,
//    export and the import module one- or two-letter names (their hashed names are kilobytes
//    that do not compress);
// 2. the glue (webstomp_wasm_core.js) gets the same names, then is minified, as is the facade
//    (js/webstomp_wasm.js, which stays readable in the repository).
//
// usage: node scripts/shrink-pkg.mjs PKG_DIR FACADE_JS
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync, transformSync } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [pkg, facade] = process.argv.slice(2);
if (!pkg || !facade) throw new Error('usage: shrink-pkg.mjs PKG_DIR FACADE_JS');
const wasmPath = join(pkg, 'webstomp_wasm_core_bg.wasm');
const gluePath = join(pkg, 'webstomp_wasm_core.js');
const MODULE = './webstomp_wasm_core_bg.js';

let glue = readFileSync(gluePath, 'utf8');

// The exports the glue reads (`wasm.name`); the others (wasm-bindgen's abort hooks, helpers it
// did not need) go, and the code only they reach with them.
const exportNames = (wasm) => {
  const mod = new WebAssembly.Module(wasm);
  return WebAssembly.Module.exports(mod).map((e) => e.name);
};
const used = new Set([...glue.matchAll(/\bwasm\.([A-Za-z0-9_$]+)/g)].map((m) => m[1]));
const unused = exportNames(readFileSync(wasmPath)).filter((name) => !used.has(name));

// Prune and optimise (--converge repeats the passes while the module shrinks), then rename,
// in a second run: the renaming prints its mapping.
const wasmOpt = join(ROOT, 'node_modules/.bin/wasm-opt');
const tmp = wasmPath + '.tmp';
const features = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int'];
const optimise = [wasmPath, '-o', tmp, ...features];
if (unused.length > 0) optimise.push('--remove-exports', `--pass-arg=remove-exports@${unused.join(',')}`);
// --low-memory-unused folds small constant offsets into loads and stores: only an address that
// wraps below 1 KiB could behave differently, and Rust never forms one (its stack ends at 1 MiB
// and grows down, statics and heap lie above).
optimise.push('-Oz', '--converge', '--low-memory-unused', '--strip-debug', '--strip-producers');
execFileSync(wasmOpt, optimise, { stdio: ['ignore', 'inherit', 'inherit'] });
const rename = [tmp, '-o', tmp, ...features, '--minify-imports-and-exports-and-modules', '--strip-target-features'];
const mapping = JSON.parse(execFileSync(wasmOpt, rename, { encoding: 'utf8', maxBuffer: 1 << 24 }));
renameSync(tmp, wasmPath);

// The glue's import object: `name: function(` entries in one object keyed by MODULE.
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const replaceOnce = (text, pattern, replacement, what) => {
  let count = 0;
  const out = text.replace(pattern, () => {
    count += 1;
    return replacement;
  });
  if (count !== 1) throw new Error(`shrink-pkg: expected one ${what} in the glue, found ${count}`);
  return out;
};
const modules = new Set(mapping.imports.map(([module]) => module));
if (modules.size !== 1 || !modules.has(MODULE)) {
  throw new Error(`shrink-pkg: unexpected import modules ${[...modules].join(', ')}`);
}
// The minified module name: the same for every import.
const shortModule = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath)))[0].module;
glue = replaceOnce(glue, new RegExp(`"${escape(MODULE)}":`, 'g'), `${JSON.stringify(shortModule)}:`, 'import module');
for (const [, name, short] of mapping.imports) {
  glue = replaceOnce(glue, new RegExp(`(?<=[\\s,{])${escape(name)}(?=: function\\()`, 'g'), short, `import ${name}`);
}
for (const [name, short] of mapping.exports) {
  const pattern = new RegExp(`\\bwasm\\.${escape(name)}\\b`, 'g');
  if (!pattern.test(glue)) throw new Error(`shrink-pkg: export ${name} is not used by the glue`);
  glue = glue.replace(pattern, `wasm.${JSON.stringify(short).slice(1, -1)}`);
}
for (const name of unused) {
  if (new RegExp(`\\b${escape(name)}\\b`).test(glue)) throw new Error(`shrink-pkg: dropped export ${name} is named in the glue`);
}

// Top-level await (the facade) needs es2022.
const options = { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' };
const minify = (code) => transformSync(code, options).code;
// The glue keeps only what the facade imports (`initSync` goes): it is not a public entry point.
const source = readFileSync(facade, 'utf8');
const imported = source.match(/^import \w+, \{([^}]*)\} from '\.\/webstomp_wasm_core\.js';$/m);
if (!imported) throw new Error(`shrink-pkg: ${facade} has no "import init, { ... } from './webstomp_wasm_core.js'"`);
writeFileSync(gluePath, glue);
const bundle = buildSync({
  ...options,
  stdin: { contents: `export { default, ${imported[1].trim()} } from './webstomp_wasm_core.js';`, resolveDir: pkg },
  bundle: true,
  write: false,
});
writeFileSync(gluePath, bundle.outputFiles[0].text);
// The tests check that pkg/ was built from the current facade: its source's hash is kept
// beside it (not a shipped file).
// The public names (`Client`, `over`, ...) stay as they are: users see them in stack traces,
// `client.constructor.name` and logs.
writeFileSync(join(pkg, 'webstomp_wasm.js'), transformSync(source, { ...options, keepNames: true }).code);
writeFileSync(join(pkg, 'webstomp_wasm.js.sha256'), createHash('sha256').update(source).digest('hex') + '\n');
rmSync(join(pkg, 'webstomp_wasm_core_bg.wasm.tmp'), { force: true });
