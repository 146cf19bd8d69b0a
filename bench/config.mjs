// The benchmark's knobs, from the environment (scripts/bench.sh passes them through).
//   BENCH_URL              the relay serving the pages, /stomp (SockJS) and /ws (required)
//   BENCH_QUICK=1          small counts and one round: a check that everything runs (~1 min)
//   BENCH_ROUNDS           rounds of deliver and publish (default 5)
//   BENCH_MESSAGES         frames per deliver and publish run (default 100000)
//   BENCH_BATCH            socket messages (or send() calls) per task (default 100)
//   BENCH_MEMORY_MESSAGES  frames delivered in the memory run (default 200000)
//   BENCH_MEMORY_ROUNDS    (default 3)
//   BENCH_E2E_MESSAGES     messages published and received per e2e run (default 20000)
//   BENCH_E2E_ROUNDS       (default 3)
//   BENCH_CLIENTS          comma list of wasm,stompjs,webstomp-client,null (default all)
//   BENCH_SCENARIOS        comma list of deliver,publish,memory,e2e,size,profile (default all)
//   BENCH_PROFILE_PKG      URL path of the package build with wasm names (default /pkg-prof)
//   BENCH_DOC              where the markdown goes (default docs/benchmarks.md; in quick mode
//                          test-output/bench/benchmarks.md)

const env = process.env;
const quick = env.BENCH_QUICK === '1';
const num = (name, full, small) => {
  const v = env[name];
  if (v === undefined || v === '') return quick ? small : full;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a whole number > 0, not ${JSON.stringify(v)}`);
  return n;
};
const list = (name, all) => {
  const v = env[name];
  if (!v) return all;
  const picked = v.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = picked.filter((s) => !all.includes(s));
  if (unknown.length) throw new Error(`${name}: unknown ${unknown.join(', ')} (known: ${all.join(', ')})`);
  return all.filter((s) => picked.includes(s)); // the report's order, whatever the env's
};

/** The client ids, in the order they run within a round and show in the tables. */
export const CLIENTS = ['wasm', 'stompjs', 'webstomp-client', 'null'];
export const LABELS = {
  wasm: 'webstomp-wasm',
  stompjs: '@stomp/stompjs',
  'webstomp-client': 'webstomp-client',
  null: 'null client',
};
export const DELIVER_VARIANTS = ['text', 'arraybuffer', 'batch16', 'body4k'];
export const VARIANT_LABELS = {
  text: 'text, ~100 B JSON',
  arraybuffer: 'ArrayBuffer',
  batch16: '16 frames per message',
  body4k: '4 KiB bodies',
};

export function readConfig() {
  if (!env.BENCH_URL) throw new Error('BENCH_URL is not set: run `npm run bench` (scripts/bench.sh starts the relay)');
  const base = env.BENCH_URL.replace(/\/+$/, '');
  return {
    quick,
    base,
    rounds: num('BENCH_ROUNDS', 5, 1),
    messages: num('BENCH_MESSAGES', 100_000, 10_000),
    batch: num('BENCH_BATCH', 100, 100),
    memoryMessages: num('BENCH_MEMORY_MESSAGES', 200_000, 20_000),
    memoryRounds: num('BENCH_MEMORY_ROUNDS', 3, 1),
    e2eMessages: num('BENCH_E2E_MESSAGES', 20_000, 2_000),
    e2eRounds: num('BENCH_E2E_ROUNDS', 3, 1),
    clients: list('BENCH_CLIENTS', CLIENTS),
    scenarios: list('BENCH_SCENARIOS', ['deliver', 'publish', 'memory', 'e2e', 'size', 'profile']),
    profilePkg: env.BENCH_PROFILE_PKG || '/pkg-prof',
    doc: env.BENCH_DOC || (quick ? 'test-output/bench/benchmarks.md' : 'docs/benchmarks.md'),
    e2eTargets: [
      { id: 'ws', label: 'raw WebSocket (relay /ws)', url: base.replace(/^http/, 'ws') + '/ws', sockjs: false },
      { id: 'sockjs', label: 'SockJS xhr-streaming (relay /stomp)', url: base + '/stomp', sockjs: true },
    ],
  };
}
