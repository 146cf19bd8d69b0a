// Who is online in the room: everyone who announced themselves recently. An entry expires when
// its owner missed MISSED announcements in a row (their page crashed, lost the network, or was
// closed without a chance to say goodbye).
import { el, hue } from './dom.js';

export const MISSED = 3;

export class Roster {
  #people = new Map(); // id -> { id, nick, self, expires }

  /**
   * Records an announcement. Returns what changed: `joined` (first seen), `renamed` (the old
   * nick), or nothing.
   */
  seen({ id, nick, every }, self, now = Date.now()) {
    const known = this.#people.get(id);
    this.#people.set(id, { id, nick, self, expires: now + every * MISSED + every / 2 });
    if (!known) return { joined: true };
    if (known.nick !== nick) return { renamed: known.nick };
    return {};
  }

  /** Removes someone who said goodbye; returns their entry, if they were here. */
  remove(id) {
    const known = this.#people.get(id);
    this.#people.delete(id);
    return known;
  }

  /** Removes and returns everyone whose announcements stopped (never this page itself). */
  expire(now = Date.now()) {
    const gone = [];
    for (const person of this.#people.values()) {
      if (!person.self && person.expires < now) {
        this.#people.delete(person.id);
        gone.push(person);
      }
    }
    return gone;
  }

  clear() {
    this.#people.clear();
  }

  /** Everyone, this page first, then by nickname. */
  list() {
    return [...this.#people.values()].sort(
      (a, b) => Number(b.self) - Number(a.self) || a.nick.localeCompare(b.nick),
    );
  }
}

/** Shows the roster in the "online" list. */
export function renderRoster(list, count, roster) {
  const people = roster.list();
  list.replaceChildren(
    ...people.map((p) =>
      el(
        'li',
        { class: p.self ? 'person self' : 'person', style: `--hue: ${hue(p.id)}` },
        el('span', { class: 'dot', 'aria-hidden': 'true' }),
        el('span', { class: 'who', text: p.nick }),
        p.self ? el('span', { class: 'you', text: '(you)' }) : null,
      ),
    ),
  );
  count.textContent = String(people.length);
}
