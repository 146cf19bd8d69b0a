#!/usr/bin/env node
// `npm run bench` runs this through scripts/bench.sh (which builds the package and starts the
// broker and the relay). Every run gets a fresh page; the clients take turns (A B C D A B C D)
// so that drift on a shared machine spreads over all of them. Prints the markdown report and
// writes it to docs/benchmarks.md. Knobs: bench/config.mjs.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, openBench, heapAfterGc } from './browser.mjs';
import { readConfig, DELIVER_VARIANTS, LABELS } from './config.mjs';
import { machine } from './machine.mjs';
import { profileScenarios } from './profile.mjs';
import { notesOf, report } from './report.mjs';
import { sizes } from './size.mjs';
import { rate } from './stats.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test-output/bench');
const MEMORY_WARMUP = 2000; // frames delivered before the base heap is read
const log = (line) => process.stderr.write(line + '\n');

const cfg = readConfig();
const results = { deliver: {}, publish: {}, memory: {}, e2e: {}, problems: [] };
const push = (table, key, client, value) => {
  table[key] ??= {};
  (table[key][client] ??= []).push(value);
};

// One run of `fn(bench)` in a fresh page for `client`. A failure, or a run whose own checks
// found problems, is recorded in the report and gives no figure; it does not stop the benchmark.
async function inPage(browser, client, what, fn) {
  let b;
  try {
    b = await openBench(browser, cfg.base, client);
    const r = await fn(b);
    for (const p of [...(r?.problems ?? []), ...b.problems]) results.problems.push(`${what}, ${LABELS[client]}: ${p}`);
    return r?.problems?.length ? null : r;
  } catch (e) {
    results.problems.push(`${what}, ${LABELS[client]}: ${e.message.split('\n')[0]}`);
    log(`  ${what} ${client}: FAILED ${e.message.split('\n')[0]}`);
    return null;
  } finally {
    await b?.close().catch(() => {});
  }
}

async function deliverAndPublish(browser) {
  const wanted = cfg.scenarios.includes('deliver') ? DELIVER_VARIANTS : [];
  // A discarded run per client first: the first pages of a fresh browser are slower.
  for (const client of cfg.clients) {
    await inPage(browser, client, 'warm-up', ({ page }) =>
      page.evaluate((o) => window.bench.deliver(o), { variant: 'text', count: 10_000, batch: cfg.batch }));
  }
  for (let round = 1; round <= cfg.rounds; round++) {
    for (const variant of wanted) {
      for (const client of cfg.clients) {
        const r = await inPage(browser, client, `deliver ${variant}`, ({ page }) =>
          page.evaluate((o) => window.bench.deliver(o), { variant, count: cfg.messages, batch: cfg.batch }));
        if (r) push(results.deliver, variant, client, r.rate);
        log(`deliver ${variant.padEnd(11)} ${client.padEnd(15)} round ${round}/${cfg.rounds}: ${rate(r?.rate)} msgs/s`);
      }
    }
    if (!cfg.scenarios.includes('publish')) continue;
    for (const client of cfg.clients) {
      const r = await inPage(browser, client, 'publish', async ({ page }) => ({
        ...await page.evaluate((o) => window.bench.publish(o), { count: cfg.messages, batch: cfg.batch }),
        ...await page.evaluate(() => window.bench.publishCheck()),
      }));
      if (r) {
        push(results.publish, 'rate', client, r.rate);
        push(results.publish, 'bytesPerFrame', client, r.bytesPerFrame);
      }
      log(`publish             ${client.padEnd(15)} round ${round}/${cfg.rounds}: ${rate(r?.rate)} msgs/s, ${r?.bytesPerFrame?.toFixed(1)} B/frame`);
    }
  }
}

async function memory(browser) {
  for (let round = 1; round <= cfg.memoryRounds; round++) {
    for (const client of cfg.clients) {
      const r = await inPage(browser, client, 'memory', async ({ page, cdp }) => {
        await page.evaluate((o) => window.bench.memoryOpen(o), {
          variant: 'text', count: cfg.memoryMessages, warmup: MEMORY_WARMUP, batch: cfg.batch,
        });
        const wasm0 = await page.evaluate(() => window.bench.wasmMemoryBytes());
        const heap0 = await heapAfterGc(cdp);
        const d = await page.evaluate((o) => window.bench.memoryDeliver(o), { batch: cfg.batch });
        const heap1 = await heapAfterGc(cdp);
        const wasm1 = await page.evaluate(() => window.bench.wasmMemoryBytes());
        const want = cfg.memoryMessages + MEMORY_WARMUP;
        const problems = d.seen === want ? [] : [`the callback saw ${d.seen} of ${want}`];
        return { retained: heap1 - heap0, peakGrowth: d.peakGrowth, wasm0, wasm1, problems };
      });
      if (r) {
        push(results.memory, 'retained', client, r.retained);
        push(results.memory, 'peakGrowth', client, r.peakGrowth);
        if (r.wasm1 !== null) {
          push(results.memory, 'wasmGrowth', client, r.wasm1 - r.wasm0);
          push(results.memory, 'wasmTotal', client, r.wasm1);
        }
      }
      log(`memory              ${client.padEnd(15)} round ${round}/${cfg.memoryRounds}: retained ${r?.retained} B, peak +${r?.peakGrowth} B, wasm ${r?.wasm0}->${r?.wasm1}`);
    }
  }
}

async function e2e(browser) {
  for (let round = 1; round <= cfg.e2eRounds; round++) {
    for (const target of cfg.e2eTargets) {
      for (const client of cfg.clients) {
        const queue = `bench-${target.id}-${client}-${round}-${Date.now()}`;
        const r = await inPage(browser, client, `e2e ${target.id}`, ({ page }) =>
          page.evaluate((o) => window.bench.e2e(o), {
            url: target.url, sockjs: target.sockjs, count: cfg.e2eMessages, batch: cfg.batch, queue,
          }));
        if (r) push(results.e2e, target.id, client, r.rate);
        log(`e2e ${target.id.padEnd(15)} ${client.padEnd(15)} round ${round}/${cfg.e2eRounds}: ${rate(r?.rate)} msgs/s`);
      }
    }
  }
}

async function main() {
  const started = Date.now();
  await mkdir(OUT, { recursive: true });
  const browser = await launch();
  try {
    const info = await machine(browser, ROOT);
    log(`bench: ${info.cpu}, ${info.cores} cores, ${info.browser}; ${cfg.quick ? 'QUICK ' : ''}rounds ${cfg.rounds}`);
    if (cfg.scenarios.includes('deliver') || cfg.scenarios.includes('publish')) await deliverAndPublish(browser);
    if (cfg.scenarios.includes('memory')) await memory(browser);
    if (cfg.scenarios.includes('e2e')) await e2e(browser);
    const size = cfg.scenarios.includes('size') ? await sizes(ROOT) : null;
    const profiles = cfg.scenarios.includes('profile') && cfg.clients.includes('wasm')
      ? await profileScenarios(browser, cfg, OUT, log)
      : null;
    info.loadEnd = (await import('node:os')).loadavg()[0];
    info.minutes = (Date.now() - started) / 60000;
    const doc = resolve(ROOT, cfg.doc);
    const notes = notesOf(await readFile(doc, 'utf8').catch(() => ''));
    const md = report({ cfg, info, results, size, profiles, notes });
    process.stdout.write(md);
    await mkdir(dirname(doc), { recursive: true });
    await writeFile(doc, md);
    log(`bench: wrote ${cfg.doc} (${info.minutes.toFixed(1)} min)`);
  } finally {
    await browser.close();
  }
  if (results.problems.length) {
    log(`bench: ${results.problems.length} problem(s), listed in the report`);
    process.exitCode = 1;
  }
}

await main();
