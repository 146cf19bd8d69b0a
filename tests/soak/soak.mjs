#!/usr/bin/env node
// The soak (npm run soak; scripts/soak.sh starts RabbitMQ and builds first): a producer page
// streams numbered messages at SOAK_RATE msg/s (default 1000), each with `receipt: true`, to a
// /queue/ destination through RabbitMQ's Web-STOMP; a consumer page subscribes and checks them
// as they come. Runs SOAK_SECONDS (default 300). Every SOAK_SAMPLE_SECONDS (default 10) it
// samples both pages' JS heap (CDP Runtime.getHeapUsage) and WebAssembly memory.
//
// Passes when: nothing lost, nothing reordered or duplicated, every receipt came, no
// reconnect, the rate was kept (>= 95 %), and memory is flat: the JS heap after a forced GC and
// the WebAssembly memory at the end are within 10 % (or 1 MiB) of the first sample after
// warm-up (SOAK_SAMPLE_SECONDS in). Prints a summary; writes test-output/soak/summary.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../js/support/browser.mjs';
import { openBrowser, queueName, sleep, waitIn } from '../faults/support/stream.mjs';

const url = process.env.RABBITMQ_WS_URL;
if (!url) {
  console.error('soak: RABBITMQ_WS_URL is unset: run `npm run soak` (scripts/soak.sh starts the broker)');
  process.exit(2);
}
const number = (name, fallback) => {
  const v = process.env[name] === undefined ? fallback : Number(process.env[name]);
  if (!(v > 0)) {
    console.error(`soak: ${name} must be a positive number`);
    process.exit(2);
  }
  return v;
};
const SECONDS = number('SOAK_SECONDS', 300);
const RATE = number('SOAK_RATE', 1000);
const SAMPLE = number('SOAK_SAMPLE_SECONDS', 10);
const MiB = 1024 * 1024;

// The producer sends no heart-beats: RabbitMQ 3.10's Web-STOMP then runs no heart-beat
// receiver for it, which crashes (`{unexpected_message,resume}` in rabbit_heartbeat; the
// connection drops with 1006) when credit flow unblocks a fast publisher: its handler resumes a
// monitor it never paused. At this rate the producer would send none anyway (only after a silent
// period). The consumer does send them: with nothing else going out, Web-STOMP's idle timeout
// (60 s) would close it. Both check the server's.
const producerOptions = { heartbeat: { outgoing: 0, incoming: 10000 }, reconnect: { delay: 500 } };
const consumerOptions = { heartbeat: { outgoing: 10000, incoming: 10000 }, reconnect: { delay: 500 } };
const dest = queueName('soak');

const b = await openBrowser();
let failed = false;
try {
  const [producerPage, consumerPage] = await Promise.all([b.page(), b.page()]);
  const cdp = {
    producer: await producerPage.context().newCDPSession(producerPage),
    consumer: await consumerPage.context().newCDPSession(consumerPage),
  };
  await consumerPage.evaluate((a) => S.consumer(a), { url, options: consumerOptions, dest, capacity: Math.ceil(RATE * SECONDS * 1.2) + 1000 });
  await producerPage.evaluate((a) => S.producer(a), { url, options: producerOptions, dest, rate: RATE, stamp: true });

  const memory = async (role, gc) => {
    if (gc) await cdp[role].send('HeapProfiler.collectGarbage');
    const heap = await cdp[role].send('Runtime.getHeapUsage');
    const wasm = await cdp[role].send('Runtime.evaluate', { expression: 'S.wasmMemoryBytes()', awaitPromise: true, returnByValue: true });
    return { heap: heap.usedSize, wasm: wasm.result.value };
  };
  const progress = async () => {
    const [p, c] = await Promise.all([producerPage.evaluate(() => S.summary('producer')), consumerPage.evaluate(() => S.summary('consumer'))]);
    return { p, c };
  };

  const samples = [];
  const sample = async (t, gc = false) => {
    const [pm, cm, { p, c }] = await Promise.all([memory('producer', gc), memory('consumer', gc), progress()]);
    const s = { t, gc, producer: pm, consumer: cm, sent: p.seq, receipted: p.receipted, pending: p.pending, received: c.unique, duplicates: c.duplicates, reordered: c.reordered.length, latencyMaxMs: c.latencyMaxMs };
    samples.push(s);
    console.log(
      `soak: t=${String(t).padStart(4)} s  sent ${s.sent}  received ${s.received}  pending receipts ${s.pending}  ` +
        `heap ${mib(pm.heap)}/${mib(cm.heap)} MiB  wasm ${mib(pm.wasm)}/${mib(cm.wasm)} MiB (producer/consumer)${gc ? '  [after GC]' : ''}`,
    );
    return s;
  };

  console.log(`soak: ${SECONDS} s at ${RATE} msg/s through RabbitMQ ${url}, queue ${dest}`);
  await sample(0, true);
  const t0 = Date.now();
  await producerPage.evaluate(() => S.start());
  let baseline = null;
  for (let t = SAMPLE; t <= SECONDS; t += SAMPLE) {
    await sleep(Math.max(0, t0 + t * 1000 - Date.now()));
    // The first sample after warm-up is the baseline (taken after a GC); later ones are as found.
    const s = await sample(t, baseline === null);
    if (baseline === null) baseline = s;
  }
  const last = await producerPage.evaluate(() => S.stop());
  const elapsed = (Date.now() - t0) / 1000;
  await waitIn(producerPage, () => S.summary('producer').pending === 0, null, 30_000);
  await waitIn(consumerPage, (n) => S.missing('consumer', n, 0).count === 0, last, 30_000);
  const end = await sample(Math.round(elapsed), true);
  const { p, c } = await progress();
  const missing = await consumerPage.evaluate((n) => S.missing('consumer', n), last);
  await Promise.all([producerPage.evaluate(() => S.close('producer')), consumerPage.evaluate(() => S.close('consumer'))]);

  const reconnects = [p, c].map((r) => r.states.filter((s) => s.state === 'reconnecting').length);
  const mem = (role, key) => {
    const values = samples.map((s) => s[role][key]);
    return { start: baseline[role][key], end: end[role][key], max: Math.max(...values), min: Math.min(...values) };
  };
  const summary = {
    seconds: SECONDS,
    rate: RATE,
    sent: last,
    achievedRate: Math.round((last / elapsed) * 10) / 10,
    received: c.unique,
    lost: missing.count,
    lostSeqs: missing.list,
    duplicates: c.duplicates,
    reordered: c.reordered,
    receipted: p.receipted,
    receiptsPending: p.pending,
    rejected: p.rejectedCount,
    thrown: p.thrownCount,
    maxReceiptMs: p.maxReceiptMs,
    latencyMeanMs: c.latencyMeanMs,
    latencyMaxMs: c.latencyMaxMs,
    reconnects: { producer: reconnects[0], consumer: reconnects[1] },
    errors: { producer: p.errors, consumer: c.errors },
    memory: {
      producer: { heap: mem('producer', 'heap'), wasm: mem('producer', 'wasm') },
      consumer: { heap: mem('consumer', 'heap'), wasm: mem('consumer', 'wasm') },
    },
    samples,
  };

  const problems = [];
  if (summary.lost) problems.push(`${summary.lost} messages lost (first: ${summary.lostSeqs.slice(0, 10)})`);
  if (summary.duplicates) problems.push(`${summary.duplicates} duplicates`);
  if (summary.reordered.length) problems.push(`reordered: ${JSON.stringify(summary.reordered)}`);
  if (summary.receipted !== last || summary.rejected || summary.thrown) problems.push(`receipts: ${summary.receipted} of ${last}, ${summary.rejected} rejected, ${summary.thrown} sends threw`);
  if (reconnects[0] || reconnects[1]) problems.push(`reconnects: ${JSON.stringify(summary.reconnects)}`);
  if (summary.achievedRate < RATE * 0.95) problems.push(`rate ${summary.achievedRate} msg/s < 95 % of ${RATE}`);
  for (const role of ['producer', 'consumer']) {
    const { heap, wasm } = summary.memory[role];
    if (!flat(heap)) problems.push(`${role} JS heap grew: ${mib(heap.start)} -> ${mib(heap.end)} MiB after GC`);
    if (!flat(wasm)) problems.push(`${role} wasm memory grew: ${mib(wasm.start)} -> ${mib(wasm.end)} MiB`);
  }
  summary.problems = problems;

  const out = join(ROOT, 'test-output/soak');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  const line = (role) => {
    const { heap, wasm } = summary.memory[role];
    return `  ${role}: JS heap ${mib(heap.start)} -> ${mib(heap.end)} MiB after GC (max ${mib(heap.max)}), wasm ${mib(wasm.start)} -> ${mib(wasm.end)} MiB (max ${mib(wasm.max)})`;
  };
  console.log(
    [
      '',
      `soak summary (${SECONDS} s, target ${RATE} msg/s, achieved ${summary.achievedRate} msg/s)`,
      `  messages: sent ${last}, received ${c.unique}, lost ${summary.lost}, duplicates ${summary.duplicates}, reordered ${summary.reordered.length}`,
      `  receipts: ${summary.receipted}/${last} (max wait ${summary.maxReceiptMs} ms); end-to-end latency mean ${summary.latencyMeanMs} ms, max ${summary.latencyMaxMs} ms`,
      `  reconnects: producer ${reconnects[0]}, consumer ${reconnects[1]}`,
      line('producer'),
      line('consumer'),
      `  written to test-output/soak/summary.json`,
      problems.length ? `FAILED:\n  - ${problems.join('\n  - ')}` : 'PASSED',
    ].join('\n'),
  );
  failed = problems.length > 0;
} catch (e) {
  console.error(`soak: ${e.stack || e}`);
  failed = true;
} finally {
  await b.close();
}
process.exit(failed ? 1 : 0);

// Flat: the end is within 10 % of the baseline, or 1 MiB for small sizes. WebAssembly memory
// never shrinks, so a passing backlog may leave it a few pages larger; a leak grows on and on.
function flat({ start, end }) {
  return end <= Math.max(start * 1.1, start + MiB);
}

function mib(bytes) {
  return (bytes / MiB).toFixed(2);
}
