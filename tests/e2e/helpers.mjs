// Shared by the end-to-end suites: the dev server as `npm start` runs it, headless Chromium
// (playwright-core, the system's /usr/bin/chromium), and the demo page driven as a user would.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT = join(ROOT, 'test-output/e2e');

export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const WAIT = 10_000; // the longest any single step may take

/**
 * Starts `node server/main.mjs` on `port` (default: a free one) with the demo's mounts and
 * endpoints plus `extra` flags, and waits for its JSON line. Resolves to `{ url, port, stop() }`.
 */
export async function startServer(extra = [], port = 0) {
  const args = [
    'server/main.mjs', '--port', String(port), '--quiet',
    '--static', '/=www', '--static', '/pkg=pkg', '--sockjs', '/chat', '--ws', '/ws',
    ...extra,
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  const line = await Promise.race([
    new Promise((ok) => createInterface({ input: child.stdout }).once('line', ok)),
    exited.then(({ code, signal }) => { throw new Error(`the dev server exited (${code ?? signal}): ${stderr}`); }),
    timeout(WAIT, 'the dev server did not print its JSON line'),
  ]).catch((e) => {
    child.kill('SIGKILL');
    throw e;
  });
  const info = JSON.parse(line);
  return {
    url: info.url,
    port: info.port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited, delay(5000).then(() => null)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    timeout: 30_000,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
}

/**
 * Opens the chat at `base` with query `params` (nick, room, transport, presence) in its own
 * browser context, and waits until its status says connected or closed. Page errors are
 * collected in `page.problems`.
 */
export async function openChat(browser, base, params, viewport = LAPTOP) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && page.problems.push(`console.error: ${m.text()}`));
  await page.goto(`${base}/?${new URLSearchParams(params)}`);
  await page.waitForFunction(() => ['connected', 'closed'].includes(document.body.dataset.state));
  return page;
}

/** The page's connection state as its status bar shows it. */
export const stateOf = (page) => page.locator('#st-state').textContent();

/** The status bar's alert text ('' when none). */
export async function alertOf(page) {
  return (await page.locator('#alert').isVisible()) ? page.locator('#alert-text').textContent() : '';
}

/** Waits for a connected status, with the alert in the error when it fails. */
export async function waitConnected(page) {
  try {
    await page.locator('#st-state[data-state="connected"]').waitFor();
  } catch {
    throw new Error(`the page did not connect: state ${await stateOf(page)}; ${await alertOf(page)}`);
  }
}

/** Types `text` in the composer and sends it with Enter. */
export async function say(page, text) {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
}

/** Waits until the message list holds a chat line whose text is exactly `text`. */
export async function waitForMessage(page, text) {
  await page.locator('#messages .msg .text').getByText(text, { exact: true }).first().waitFor();
}

/** Waits until a notice containing `text` shows. */
export async function waitForNotice(page, text, timeoutMs = WAIT) {
  await page.locator('#messages .notice .text', { hasText: text }).first().waitFor({ timeout: timeoutMs });
}

/** The chat lines as `{ nick, text }`. */
export function chatLines(page) {
  return page.locator('#messages .msg').evaluateAll((items) =>
    items.map((li) => ({ nick: li.querySelector('.nick').textContent, text: li.querySelector('.text').textContent })));
}

/** Every notice's text. */
export function notices(page) {
  return page.locator('#messages .notice .text').allTextContents();
}

/** The nicknames in the "online" list. */
export function online(page) {
  return page.locator('#online .who').allTextContents();
}

/** Waits until the "online" list is exactly `nicks` (in any order). */
export async function waitForOnline(page, nicks) {
  const want = [...nicks].sort();
  try {
    await page.waitForFunction(
      (w) => JSON.stringify([...document.querySelectorAll('#online .who')].map((e) => e.textContent).sort()) === w,
      JSON.stringify(want),
    );
  } catch {
    throw new Error(`online list: expected ${want.join(', ')}, shows ${(await online(page)).join(', ')}`);
  }
}

/** Saves a full-page screenshot under test-output/e2e/. */
export async function screenshot(page, name) {
  await mkdir(OUT, { recursive: true });
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Closes a page the way a user closing the tab would (pagehide runs). */
export async function closeTab(page) {
  const context = page.context();
  await page.close({ runBeforeUnload: true });
  await context.close();
}

export const delay = (ms) => new Promise((ok) => setTimeout(ok, ms));

function timeout(ms, what) {
  return delay(ms).then(() => { throw new Error(`${what} within ${ms} ms`); });
}
