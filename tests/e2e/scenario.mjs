// The chat scenario every broker and transport combination goes through: two people in one room
// chat both ways and see each other online; others in another room see none of it; closing a
// tab leaves a leave notice behind.
import assert from 'node:assert/strict';
import {
  LAPTOP, PHONE, openChat, waitConnected, say, waitForMessage, waitForNotice, waitForOnline,
  chatLines, notices, online, screenshot,
} from './helpers.mjs';

/** How often the pages announce themselves in presence (ms): short, so expiry is quick too. */
export const PRESENCE = 1000;

const HTTP = ['xhr-streaming', 'xhr-polling'];

/**
 * Runs the scenario. `a` and `b` are `{ nick, transport }` in room `room`; `others` are in
 * `otherRoom`. `tag` names the screenshots. With `switchRoom`, the first of `others` finally
 * moves into `room` through the settings form. Every page is closed at the end.
 */
export async function chatScenario(browser, base, { tag, room, otherRoom, a, b, others, switchRoom = false }) {
  const pages = [];
  const open = async (who, where, viewport) => {
    const page = await openChat(browser, base, { ...who, room: where, presence: PRESENCE }, viewport);
    pages.push(page);
    await waitConnected(page);
    return page;
  };
  try {
    const alice = await open(a, room, LAPTOP);
    const bob = await open(b, room, PHONE);
    const rest = [];
    for (const who of others) rest.push(await open(who, otherRoom, LAPTOP));

    // Presence: each sees the other (and themselves); bob's arrival was announced to alice.
    await waitForNotice(alice, `${b.nick} joined`);
    await waitForOnline(alice, [a.nick, b.nick]);
    await waitForOnline(bob, [a.nick, b.nick]);
    for (const page of rest) await waitForOnline(page, others.map((o) => o.nick));

    // Chat both ways, with sender and time on each line.
    const fromA = `Hello from ${a.nick} over ${a.transport} ✓`;
    const fromB = `Hi ${a.nick}! ${b.nick} here, over ${b.transport}`;
    await say(alice, fromA);
    await waitForMessage(bob, fromA);
    await say(bob, fromB);
    await waitForMessage(alice, fromB);
    await waitForMessage(alice, fromA);
    await waitForMessage(bob, fromB);
    const expected = [{ nick: a.nick, text: fromA }, { nick: b.nick, text: fromB }];
    assert.deepEqual(await chatLines(alice), expected);
    assert.deepEqual(await chatLines(bob), expected);
    assert.match(await alice.locator('#messages .msg time').first().textContent(), /\d{1,2}:\d{2}/);
    assert.equal(await alice.locator('#messages .msg.mine').count(), 1, 'own line marked as mine');

    // The status bar reads the client: state, transport, version, heart-beats, reconnects.
    assert.equal(await alice.locator('#st-state').textContent(), 'connected');
    assert.equal(await alice.locator('#st-version').textContent(), '1.2');
    assert.match(await alice.locator('#st-transport').textContent(), transportPattern(a.transport));
    assert.match(await bob.locator('#st-transport').textContent(), transportPattern(b.transport));
    assert.match(await alice.locator('#st-heartbeat').textContent(), /↑ .+ · ↓ .+/);
    assert.equal(await alice.locator('#st-reconnects').textContent(), '0');

    if (rest.length > 1) {
      await say(rest[0], 'meanwhile, elsewhere');
      for (const page of rest) await waitForMessage(page, 'meanwhile, elsewhere');
    }

    await screenshot(alice, `${tag}-${a.nick}-laptop`);
    await screenshot(bob, `${tag}-${b.nick}-phone`);
    for (const [i, page] of rest.entries()) await screenshot(page, `${tag}-${others[i].nick}-laptop`);

    for (const page of pages) assert.deepEqual(page.problems, [], 'no page errors');

    // Bob closes his tab: alice sees him leave, and he is no longer online.
    await bob.close();
    await waitForNotice(alice, `${b.nick} left`);
    const leaves = (await notices(alice)).filter((n) => n.startsWith(`${b.nick} left`));
    if (HTTP.includes(b.transport)) {
      // The goodbye goes out on pagehide, but an HTTP request may not outlive the page (the
      // engine's xhr_send waits for the one in flight): then presence expiry reports the leave.
      assert.equal(leaves.length, 1);
      assert.match(leaves[0], new RegExp(`^${b.nick} left( \\(no longer responding\\))?$`));
    } else {
      assert.deepEqual(leaves, [`${b.nick} left`], 'an explicit goodbye on pagehide, not an expiry');
    }
    await waitForOnline(alice, [a.nick]);

    // The other room saw none of it.
    for (const page of rest) {
      const lines = await chatLines(page);
      assert.ok(lines.every((l) => l.nick !== a.nick && l.nick !== b.nick), `no chat from ${room} in ${otherRoom}`);
      const seen = (await notices(page)).filter((n) => n.includes(a.nick) || n.includes(b.nick));
      assert.deepEqual(seen, [], `no notices about ${room} in ${otherRoom}`);
      assert.deepEqual((await online(page)).sort(), others.map((o) => o.nick).sort());
    }

    if (switchRoom) {
      // The first of the others moves into the room: a clean switch, then a join notice.
      const carol = rest[0];
      if (!(await carol.locator('#settings-box').evaluate((d) => d.open))) {
        await carol.locator('#settings-box summary').click(); // closed at phone width
      }
      await carol.getByLabel('Room').fill(room);
      await carol.getByRole('button', { name: 'Join' }).click();
      await waitForNotice(alice, `${others[0].nick} joined`);
      await waitForOnline(carol, [a.nick, others[0].nick]);
      await waitForOnline(alice, [a.nick, others[0].nick]);
      assert.equal(await carol.locator('#room-title').textContent(), `#${room}`);
      assert.deepEqual(await chatLines(carol), [], 'a new room starts with an empty list');
      assert.match(carol.url(), new RegExp(`[?&]room=${room}(&|$)`), 'the address bar follows');
      await say(carol, 'hello lobby');
      await waitForMessage(alice, 'hello lobby');
      await screenshot(carol, `${tag}-${others[0].nick}-switched-laptop`);
      if (rest.length > 1) {
        await waitForNotice(rest[1], `${others[0].nick} left`);
      }
    }

    for (const page of pages) if (!page.isClosed()) assert.deepEqual(page.problems, [], 'no page errors');
  } finally {
    for (const page of pages) await page.context().close().catch(() => {});
  }
}

function transportPattern(choice) {
  if (choice === 'raw') return /^websocket-raw$/;
  if (choice === 'auto') return /^(websocket|xhr-streaming|xhr-polling)$/;
  return new RegExp(`^${choice}$`);
}
