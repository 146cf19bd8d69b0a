// Headless Chromium (the system's /usr/bin/chromium through playwright-core; nothing is
// downloaded) and one fresh page per benchmark run, served from the relay's http://127.0.0.1
// origin (Chromium blocks loopback connections from about:blank).
import { chromium } from 'playwright-core';

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  // performance.memory in bytes, not bucketed (the peak-heap sampling reads it).
  '--enable-precise-memory-info',
  // Otherwise V8 drops the bytecode of functions unused for a few GCs (page set-up code), and the
  // retained-heap difference goes negative by that much.
  '--js-flags=--no-flush-bytecode',
];

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    timeout: 30_000,
    args: FLAGS,
  });
}

/**
 * Opens the benchmark page for `client` in its own context and waits until the client is
 * loaded. Resolves to `{ page, cdp, problems, close() }`; `problems` collects page errors.
 */
export async function openBench(browser, base, client, pkg = '/pkg') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  await page.goto(`${base}/bench/?${new URLSearchParams({ client, pkg })}`);
  await page.evaluate(() => window.benchReady);
  const cdp = await context.newCDPSession(page);
  return { page, cdp, problems, close: () => context.close() };
}

/** A full garbage collection, then the V8 heap's used bytes. */
export async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}
