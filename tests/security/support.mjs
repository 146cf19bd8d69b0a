// Shared by the security suites: the JS API test page (tests/js/page: `W` is the package, `H`
// the harness) in headless Chromium, and the page problems a bad-input test may expect.
import assert from 'node:assert/strict';
import { launchChromium, openPage, PAGE, PKG, requireBuiltPackage, serve } from '../js/support/browser.mjs';
import { startDevServer } from '../js/support/dev-server.mjs';

export { launchChromium, openPage, PAGE, PKG, requireBuiltPackage, serve, startDevServer };

// What the browser itself logs when a server answers an error status, cuts a response or
// refuses a WebSocket: expected when the server misbehaves on purpose.
const NETWORK_NOISE = /Failed to load resource|net::ERR_|WebSocket connection to .* failed/;

/**
 * Takes the page's problems (uncaught errors, console errors) out of its list, drops the
 * expected network noise and fails on anything else: a trap ("RuntimeError: unreachable"),
 * an error a callback threw, a console error of the client's.
 */
export function assertNoProblems(page, context = '') {
  const problems = page.problems.splice(0).filter((p) => !NETWORK_NOISE.test(p));
  assert.deepEqual(problems, [], `unexpected errors in the page ${context}`);
}

/**
 * Opens the packaged test page (tests/js/page with pkg/ at /pkg/) in a new Chromium: from `base`
 * when given (a server that mounts both), else from a static server of its own. Resolves to
 * `{ page, browser, close() }`.
 */
export async function startPage(base) {
  await requireBuiltPackage();
  const server = base ? null : await serve({ '/pkg/': PKG, '/': PAGE });
  const browser = await launchChromium();
  const close = async () => {
    await browser.close();
    await server?.close();
  };
  try {
    const page = await openPage(browser, (base ?? server.url) + '/');
    return { page, browser, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * In the page: proves the WebAssembly instance still works (no trap killed it): a new client
 * over a test double connects, subscribes and receives. Resolves to the body received.
 */
export function freshClientWorks(page) {
  return page.evaluate(async () => {
    const { client, sock } = await H.connectOver(W);
    let body;
    client.subscribe('/q', (m) => { body = m.body; });
    sock.receive(H.frame('MESSAGE', { subscription: 'sub-0', 'message-id': '1', destination: '/q' }, 'alive'));
    await H.until(() => body, 2000, 'the message on a fresh client');
    await H.disconnect(client, sock);
    return body;
  });
}

