// The markdown report: docs/benchmarks.md and the benchmark's stdout.
import { DELIVER_VARIANTS, LABELS, VARIANT_LABELS } from './config.mjs';
import { goalRows } from './goals.mjs';
import { summary, rate, bytes, ratio } from './stats.mjs';

const rounds = (n) => `${n} round${n === 1 ? '' : 's'}`;
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

// "27.9k (26.1k–29.0k) ×1.00": median, min–max over the rounds, ratio to stompjs's median.
function cell(values, reference, format = rate) {
  const s = summary(values ?? []);
  if (!s) return 'failed';
  const spread = s.n > 1 ? ` (${format(s.min)}–${format(s.max)})` : '';
  const ref = summary(reference ?? [])?.median;
  return `${format(s.median)}${spread}${ref ? ' ' + ratio(s.median / ref) : ''}`;
}

const HOW = `## How to run

\`\`\`sh
npm run bench                  # full run, about 10 minutes on 2 cores; rewrites this file
BENCH_QUICK=1 npm run bench    # small counts, one round: checks that everything works (~2 min);
                               # writes test-output/bench/benchmarks.md instead
BENCH_SCENARIOS=deliver,size BENCH_CLIENTS=wasm,stompjs npm run bench   # a subset
\`\`\`

\`scripts/bench.sh\` builds the package (\`scripts/build.sh\`), a copy of its wasm that keeps function
names for the profiles, starts the run's own RabbitMQ (\`scripts/rabbitmq.sh\`) and the relay
(\`server/main.mjs --broker tcp://…\`, which also serves the pages), runs \`bench/run.mjs\` in
headless Chromium, and stops what it started. Other knobs (rounds, counts, batch size, where the
report goes): \`bench/config.mjs\`. CPU profiles are left in \`test-output/bench/*.cpuprofile\`.

How it measures:
- Every run is a fresh page on \`http://127.0.0.1:PORT/bench/\` that loads one client the way its
  users do: \`import webstomp from '/pkg/webstomp_wasm.js'\`, and the UMD bundles of
  \`@stomp/stompjs\` (\`new Client({webSocketFactory})\`), \`webstomp-client\` (\`over(socket)\`) and
  \`sockjs-client\` from node_modules. Heart-beats off for all. Clients take turns (A B C D A B C D),
  round after round.
- **deliver**: a socket double (\`bench/www/double.js\`, the same for all) opens, answers CONNECTED,
  then calls \`onmessage\` with pre-built MessageEvents carrying MESSAGE frames (RabbitMQ's
  headers: subscription, destination, message-id, redelivered, content-type, content-length; a
  pool of 1,024 distinct frames, cycled), 100 socket messages per task with a macrotask between
  batches. The clock runs until the subscription callback, which reads every \`message.body\`,
  has seen the last frame; the body lengths are checked. The **null client**'s callback reads
  \`event.data\` and counts: the floor of the harness itself.
- **publish**: \`send(destination, ~100 B JSON, {content-type})\`, 100 per task, into the double,
  until it holds the last frame; then every frame is parsed and checked (command, destination,
  body, content-length).
- **e2e**: through the relay to RabbitMQ (one STOMP frame per WebSocket/SockJS message): subscribe
  to a fresh queue, publish, time until the callback has seen every message. Competitors over
  SockJS use sockjs-client; webstomp-wasm uses its own SockJS transport
  (\`client('http://…', {transports: ['xhr-streaming']})\`).
- **memory**: after connect, subscribe and 2,000 warm-up frames, two full GCs (CDP
  \`HeapProfiler.collectGarbage\`) and the V8 heap's used size (\`Runtime.getHeapUsage\`); deliver,
  GC again, read again: the difference is what the client retained (Chromium runs with
  \`--js-flags=--no-flush-bytecode\`, else dropped set-up bytecode makes it negative). The peak is \`performance.memory.usedJSHeapSize\` (precise, sampled
  after every batch) minus its value at the start. WebAssembly memory is the wasm-bindgen module's
  \`memory.buffer.byteLength\` before and after.
- **size**: \`gzip -9n\` of each package's browser files; ours as shipped in \`pkg/\`, and with its
  JS minified (esbuild) as a bundler would ship it.`;

const FAIRNESS = `## Caveats

- The machine is shared (2 cores, other jobs): the spreads show the noise; compare ratios within
  one run, not figures across runs.
- The double dispatches 100 messages per task, with MessageEvents built beforehand (building one
  from script costs 2-4 µs here, more than some clients spend on a frame). A real WebSocket makes
  a fresh event and string (or ArrayBuffer) per message, each in its own task: that cost is the
  same for every client and is left out, so the null client is the harness's floor, not the
  browser's. Reusing 1,024 frame strings could favour a client that caches on string identity;
  a probe with 65,536 distinct strings showed no consistent difference within the noise.
- The callback reads \`body\` (stompjs decodes it lazily, on that read); nobody reads every header.
- stompjs parses its input as bytes (it encodes text messages first), webstomp-client parses
  strings (it decodes ArrayBuffer messages char by char), webstomp-wasm copies every message into
  WebAssembly memory: the variants show each design's cost.
- e2e goes through the Node relay and RabbitMQ on the same 2 cores as the browser: it tells whether
  a client is the bottleneck, not how fast a client can be.
- The peak heap counts every allocation in the page, the harness's too: with a MessageEvent built
  per message, webstomp-client's peak was 10.7 MiB instead of ~1 MiB. The issue's goal figures
  came from a different double. The memory figures include the harness's own few KiB (see the
  null client). WebAssembly memory
  is read through the glue module's \`init()\` (it returns the exports once initialised): not
  public API, so the columns stay empty if that changes.
- Our JS ships unminified; the size table gives the minified figure too. The competitors' figures
  are their published \`.min.js\` bundles.`;

function deliverSection(results, cfg) {
  const rows = DELIVER_VARIANTS.filter((v) => results.deliver[v]).map((v) =>
    [VARIANT_LABELS[v], ...cfg.clients.map((c) => cell(results.deliver[v][c], results.deliver[v].stompjs))]);
  if (!rows.length) return '';
  return `## deliver: messages/s until the callback saw all ${cfg.messages.toLocaleString('en-US')}

Median of ${rounds(cfg.rounds)} (min–max), × = ratio to @stomp/stompjs's median. The null client
reads \`event.data\` and counts socket messages (16 frames each in that variant): the harness's
floor, not a client.

${table(['variant', ...cfg.clients.map((c) => LABELS[c])], rows)}`;
}

function publishSection(results, cfg) {
  const p = results.publish;
  if (!p.rate) return '';
  const rows = cfg.clients.map((c) => [LABELS[c], cell(p.rate[c], p.rate.stompjs),
    summary(p.bytesPerFrame[c] ?? [])?.median.toFixed(1) ?? 'n/a']);
  return `## publish: ${cfg.messages.toLocaleString('en-US')} send() calls, messages/s

${table(['client', 'messages/s', 'bytes per frame sent'], rows)}`;
}

function e2eSection(results, cfg) {
  const rows = cfg.e2eTargets.filter((t) => results.e2e[t.id]).map((t) =>
    [t.label, ...cfg.clients.map((c) => cell(results.e2e[t.id][c], results.e2e[t.id].stompjs))]);
  if (!rows.length) return '';
  return `## e2e through the relay to RabbitMQ: ${cfg.e2eMessages.toLocaleString('en-US')} messages sent and received, messages/s

Median of ${rounds(cfg.e2eRounds)} (min–max). Over SockJS the JS clients and the null client run
over sockjs-client.

${table(['transport', ...cfg.clients.map((c) => LABELS[c])], rows)}`;
}

function sizeSection(size) {
  if (!size) return '';
  const rows = size.map((s) => [s.name.replace(/^ {2}/, '&nbsp;&nbsp;'), bytes(s.raw), bytes(s.gzip),
    s.gzipMinified !== s.gzip ? bytes(s.gzipMinified) : '', s.files.map((f) => `\`${f}\``).join(' + ')]);
  return `## size: browser bundles

${table(['package', 'raw', 'gzip', 'gzip, JS minified', 'files'], rows)}`;
}

function memorySection(results, cfg) {
  const m = results.memory;
  if (!m.retained) return '';
  const kib = (x) => bytes(x, 'KiB');
  const rows = cfg.clients.map((c) => [LABELS[c], cell(m.retained[c], null, kib), cell(m.peakGrowth[c], null, kib),
    m.wasmGrowth?.[c] ? cell(m.wasmGrowth[c], null, kib) : '', m.wasmTotal?.[c] ? cell(m.wasmTotal[c], null, kib) : '']);
  return `## memory: ${cfg.memoryMessages.toLocaleString('en-US')} text messages delivered

Median of ${rounds(cfg.memoryRounds)} (min–max).

${table(['client', 'retained JS heap after GC', 'peak JS heap growth during delivery', 'WebAssembly memory growth', 'WebAssembly memory after'], rows)}`;
}

/** The profile tables (exported for re-rendering saved profiles). */
export function profileSection(profiles) {
  if (!profiles?.length) return '';
  const parts = profiles.map((p) => {
    const kinds = table(['kind', 'self ms', 'share'], p.kinds.map((k) => [k.kind, k.ms.toFixed(0), `${(k.share * 100).toFixed(1)}%`]));
    const top = table(['function', 'kind', 'self ms', 'share'], p.top.map((f) =>
      [`\`${f.fn.replace(/\|/g, '\\|')}\``, f.kind, f.ms.toFixed(1), `${(f.share * 100).toFixed(1)}%`]));
    return `### ${p.scenario} (${rate(p.rate)} msgs/s under the profiler)\n\n${kinds}\n\n${top}`;
  });
  return `## profile: webstomp-wasm (CDP sampling profiler, 50 µs, build with wasm names)

Self time; idle excluded.

${parts.join('\n\n')}`;
}

// Hand-written notes in the previous report, between these markers, are carried over.
const NOTES = ['<!-- notes: hand-written, kept by npm run bench -->', '<!-- /notes -->'];

/** The hand-written notes section of an earlier report, or ''. */
export function notesOf(previous) {
  const a = previous.indexOf(NOTES[0]);
  const b = previous.indexOf(NOTES[1]);
  return a >= 0 && b > a ? previous.slice(a, b + NOTES[1].length) : '';
}

/** The whole report as markdown; `notes` from `notesOf` go after the goals. */
export function report({ cfg, info, results, size, profiles, notes = '' }) {
  const goals = goalRows({ results, size });
  const sections = [
    `# Benchmarks

webstomp-wasm side by side with @stomp/stompjs ${info.versions.stompjs}, webstomp-client ${info.versions.webstompClient}
(and sockjs-client ${info.versions.sockjsClient}) and a null client, in one headless-Chromium run (issue 7). Generated by \`npm run bench\`${cfg.quick ? ' in QUICK mode (small counts: not for comparison)' : ''}.

Measured ${info.date} on ${info.cpu}, ${info.cores} cores, ${info.memory}, ${info.os}; ${info.browser};
Node ${info.node}. Load average ${info.loadStart.toFixed(2)} at the start, ${info.loadEnd.toFixed(2)} at the end; the run took
${info.minutes.toFixed(1)} minutes.`,
    goals.length ? `## Goals (issue 7) against this run\n\n${table(['goal', 'target', 'aim', 'now', 'status'], goals)}` : '',
    notes,
    deliverSection(results, cfg),
    publishSection(results, cfg),
    e2eSection(results, cfg),
    sizeSection(size),
    memorySection(results, cfg),
    profileSection(profiles),
    results.problems.length ? `## Problems in this run\n\n${results.problems.map((p) => `- ${p}`).join('\n')}` : '',
    FAIRNESS,
    HOW,
  ];
  return sections.filter(Boolean).join('\n\n') + '\n';
}
