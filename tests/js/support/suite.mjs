// The set-up every suite on the test page (tests/js/page) shares, registered with node:test.
import { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, openPage, PAGE, PKG, requireBuiltPackage, serve } from './browser.mjs';

/**
 * Before the suite: the built package served with the test page, open in headless Chromium
 * (then `setUp(run)`, if given). After it: both closed. After each test: no page errors or
 * console errors left (a test takes out those it expects). With `skip` set, nothing starts.
 *
 * Returns `{ page, run }`: `page` once the suite has started; `run(fn, arg)` evaluates `fn` in
 * the page, where `W` is the package and `H` the harness.
 */
export function pageSuite({ skip = false, setUp } = {}) {
  let server;
  let browser;
  const suite = {
    page: null,
    run: (fn, arg) => suite.page.evaluate(fn, arg),
  };
  before(async () => {
    if (skip) return;
    await requireBuiltPackage();
    server = await serve({ '/pkg/': PKG, '/': PAGE });
    browser = await launchChromium();
    suite.page = await openPage(browser, server.url + '/');
    if (setUp) await setUp(suite.run);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(() => {
    const problems = suite.page ? suite.page.problems.splice(0) : [];
    assert.deepEqual(problems, [], 'unexpected errors in the page');
  });
  return suite;
}
