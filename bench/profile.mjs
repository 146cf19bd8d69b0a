// CPU profiles (CDP Profiler) of webstomp-wasm in three deliver variants and publish, with the build that
// keeps wasm function names (scripts/bench.sh makes it: the release wasm, `wasm-opt -g`). Each
// profile is saved as test-output/bench/wasm-<scenario>.cpuprofile (open it in DevTools) and
// summarised: self time by kind (wasm, glue, facade, browser built-ins, GC, harness) and the
// functions with the most self time.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openBench } from './browser.mjs';

const SAMPLING_US = 50;

/** What a profile node's code is, from its URL and name. */
function kind(frame) {
  const { url, functionName: name } = frame;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)') return 'browser (program)';
  if (name === '(idle)' || name === '(root)') return 'idle';
  if (url.startsWith('wasm://') || url.endsWith('.wasm')) return 'wasm';
  if (url.endsWith('/webstomp_wasm_core.js')) return 'glue (wasm-bindgen)';
  if (url.endsWith('/webstomp_wasm.js')) return 'facade (webstomp_wasm.js)';
  if (url.includes('/bench/')) return 'harness';
  if (!url) return 'built-ins (native)';
  return 'other JS';
}

// Rust symbols without their hash (`::h0123…`) and crate disambiguators (`[0123…]`).
const rustName = (name) => name.replace(/::h[0-9a-f]{16}\b/g, '').replace(/\[[0-9a-f]{16}\]/g, '');

function label(frame) {
  const name = rustName(frame.functionName || '(anonymous)');
  if (!frame.url || kind(frame) === 'wasm') return name;
  return `${name} (${frame.url.split('/').pop()}:${frame.lineNumber + 1})`;
}

/** Self time per function and per kind, in ms, without idle time. */
export function summarise(profile, top = 20) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byNode.get(profile.samples[i]);
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(node, (self.get(node) ?? 0) + dt);
  }
  const fns = new Map();
  const kinds = new Map();
  let total = 0;
  for (const [node, ms] of self) {
    const k = kind(node.callFrame);
    if (k === 'idle') continue;
    total += ms;
    kinds.set(k, (kinds.get(k) ?? 0) + ms);
    // A built-in (TextDecoder's decode, postMessage, the wasm<->JS trampolines) is named with
    // its caller: that is where the lever is.
    const caller = k === 'built-ins (native)' ? parent.get(node.id) : null;
    const name = caller ? `${label(node.callFrame)} ← ${label(caller.callFrame)}` : label(node.callFrame);
    const key = `${k}|${name}`;
    fns.set(key, (fns.get(key) ?? 0) + ms);
  }
  const rows = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total,
    kinds: rows(kinds).map(([k, ms]) => ({ kind: k, ms, share: ms / total })),
    top: rows(fns).slice(0, top).map(([key, ms]) => {
      const [k, fn] = key.split('|');
      return { kind: k, fn, ms, share: ms / total };
    }),
  };
}

/** Profiles three deliver variants and publish once each; resolves to `[{ scenario, rate, ...summary }]`. */
export async function profileScenarios(browser, cfg, out, log) {
  const runs = [
    { scenario: 'deliver text', call: (o) => window.bench.deliver(o), args: { variant: 'text', count: cfg.messages, batch: cfg.batch } },
    { scenario: 'deliver 16 per message', call: (o) => window.bench.deliver(o), args: { variant: 'batch16', count: cfg.messages, batch: cfg.batch } },
    { scenario: 'deliver 4 KiB', call: (o) => window.bench.deliver(o), args: { variant: 'body4k', count: cfg.messages, batch: cfg.batch } },
    { scenario: 'publish', call: (o) => window.bench.publish(o), args: { count: cfg.messages, batch: cfg.batch } },
  ];
  const profiles = [];
  for (const run of runs) {
    let b;
    try {
      b = await openBench(browser, cfg.base, 'wasm', cfg.profilePkg);
      await b.cdp.send('Profiler.enable');
      await b.cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
      await b.cdp.send('Profiler.start');
      const r = await b.page.evaluate(run.call, run.args);
      const { profile } = await b.cdp.send('Profiler.stop');
      const file = join(out, `wasm-${run.scenario.replace(/\s+/g, '-')}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      profiles.push({ scenario: run.scenario, rate: r.rate, file, ...summarise(profile) });
      log(`profile ${run.scenario}: ${Math.round(r.rate)} msgs/s under the profiler, saved ${file}`);
    } catch (e) {
      log(`profile ${run.scenario}: FAILED ${e.message.split('\n')[0]}`);
    } finally {
      await b?.close().catch(() => {});
    }
  }
  return profiles;
}
