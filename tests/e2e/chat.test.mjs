// End to end: the demo page (www/) in headless Chromium against the dev server with its
// embedded broker, exactly as `npm start` serves it. `pkg/` must be built (npm run build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchChromium, openChat, waitConnected, say, waitForMessage, waitForNotice,
  waitForOnline, chatLines, screenshot, alertOf, LAPTOP, PHONE,
} from './helpers.mjs';
import { chatScenario, PRESENCE } from './scenario.mjs';

let server;
let browser;
const limit = { timeout: 30_000 }; // a hung step fails its test instead of the whole run

before(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('raw WebSocket: two pages chat, see each other, see a leave; another room sees nothing; switching rooms', limit, async () => {
  await chatScenario(browser, server.url, {
    tag: 'raw',
    room: 'lobby',
    otherRoom: 'garden',
    a: { nick: 'alice', transport: 'raw' },
    b: { nick: 'bob', transport: 'raw' },
    others: [{ nick: 'carol', transport: 'raw' }, { nick: 'dave', transport: 'raw' }],
    switchRoom: true,
  });
});

test('SockJS: a websocket page and an xhr-polling page chat; xhr-streaming and auto pages in another room', limit, async () => {
  await chatScenario(browser, server.url, {
    tag: 'sockjs',
    room: 'lobby',
    otherRoom: 'patio',
    a: { nick: 'erin', transport: 'websocket' },
    b: { nick: 'frank', transport: 'xhr-polling' },
    others: [{ nick: 'grace', transport: 'xhr-streaming' }, { nick: 'heidi', transport: 'auto' }],
    switchRoom: true,
  });
});

test('user text with HTML is shown as text, never run', limit, async () => {
  const params = { room: 'html', transport: 'raw', presence: PRESENCE };
  const nasty = '<b>mallory</b>';
  const payload = '<img src=x onerror="window.pwned=1"> <script>window.pwned=2</script> & &amp;';
  const victim = await openChat(browser, server.url, { ...params, nick: 'victor' }, LAPTOP);
  const mallory = await openChat(browser, server.url, { ...params, nick: nasty }, PHONE);
  try {
    await waitConnected(victim);
    await waitConnected(mallory);
    await waitForOnline(victim, ['victor', nasty]);
    await say(mallory, payload);
    await waitForMessage(victim, payload);
    assert.deepEqual(await chatLines(victim), [{ nick: nasty, text: payload }]);
    for (const page of [victim, mallory]) {
      assert.equal(await page.locator('#messages img, #messages script, #messages b, #online b').count(), 0);
      assert.equal(await page.evaluate(() => window.pwned), undefined);
    }
    await screenshot(victim, 'html-as-text-laptop');
    assert.deepEqual([...victim.problems, ...mallory.problems], []);
  } finally {
    await victim.context().close();
    await mallory.context().close();
  }
});

test('presence: a rename shows, and a page that vanishes without a goodbye expires', limit, async () => {
  const params = { room: 'presence', transport: 'raw', presence: PRESENCE };
  const olga = await openChat(browser, server.url, { ...params, nick: 'olga' });
  const pete = await openChat(browser, server.url, { ...params, nick: 'pete' });
  try {
    await waitConnected(olga);
    await waitConnected(pete);
    await waitForOnline(olga, ['olga', 'pete']);

    await pete.getByLabel('Nickname').fill('peter');
    await pete.getByRole('button', { name: 'Join' }).click();
    await waitForNotice(olga, 'pete is now peter');
    await waitForOnline(olga, ['olga', 'peter']);

    // The renderer dies: no pagehide, no goodbye. Three missed announcements later he is gone.
    const cdp = await pete.context().newCDPSession(pete);
    const started = Date.now();
    cdp.send('Page.crash').catch(() => {}); // settles only once the page is gone
    await waitForNotice(olga, 'peter left (no longer responding)', 3 * PRESENCE + 4000);
    await waitForOnline(olga, ['olga']);
    const took = Date.now() - started;
    assert.ok(took >= 2 * PRESENCE, `expired after ${took} ms, not at once`);
    assert.deepEqual(olga.problems, []);
  } finally {
    await olga.context().close();
    await pete.context().close();
  }
});

test('the server goes away: the page shows it is reconnecting, and rejoins by itself when it is back', limit, async () => {
  let own = await startServer();
  const params = { room: 'comeback', transport: 'raw', presence: PRESENCE };
  const quinn = await openChat(browser, own.url, { ...params, nick: 'quinn' }, PHONE);
  const reconnect = quinn.getByRole('button', { name: 'Reconnect' });
  try {
    await waitConnected(quinn);
    assert.equal(await quinn.locator('#st-reconnects').textContent(), '0');
    await own.stop();
    // The client retries by itself (options.reconnect) and the status bar counts the attempts:
    // the first one finds nothing listening, so a second one follows.
    await quinn.locator('#st-state[data-state="reconnecting"]').waitFor();
    await waitForNotice(quinn, 'Connection lost: reconnecting');
    await quinn.locator('#st-reconnects', { hasText: /^attempt 2$/ }).waitFor();
    assert.match(await alertOf(quinn), /Reconnecting \(attempt 2\)/);
    assert.equal(await reconnect.isVisible(), false, 'no Reconnect button while the client retries');
    await screenshot(quinn, 'server-gone-phone');

    own = await startServer([], own.port);
    await waitConnected(quinn);
    assert.equal(await quinn.locator('#st-reconnects').textContent(), '1');
    assert.equal(await quinn.locator('#alert').isVisible(), false);
    // The subscriptions came back by themselves: presence and chat work again.
    await waitForOnline(quinn, ['quinn']);
    await say(quinn, 'back again');
    await waitForMessage(quinn, 'back again');
    // The browser logs each refused WebSocket itself; nothing else went wrong.
    const refused = /^console\.error: WebSocket connection to .* failed: .*ERR_CONNECTION_REFUSED/;
    assert.deepEqual(quinn.problems.filter((p) => !refused.test(p)), []);
  } finally {
    await quinn.context().close();
    await own.stop();
  }
});
