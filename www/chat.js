// The message list: chat lines (sender, time, text) and notices (joins, leaves, connection).
import { el, clock, hue } from './dom.js';

const KEEP = 500; // lines kept on screen

export class MessageList {
  #list;

  constructor(list) {
    this.#list = list;
  }

  /** A chat line. `mine` marks this page's own messages (they come back from the broker). */
  message({ id, nick, text, time }, mine) {
    const when = new Date(time);
    this.#add(
      el(
        'li',
        { class: mine ? 'msg mine' : 'msg', style: `--hue: ${hue(id)}` },
        el(
          'div',
          { class: 'meta' },
          el('span', { class: 'nick', text: nick }),
          el('time', { datetime: when.toISOString(), text: clock(time), title: when.toLocaleString() }),
        ),
        el('p', { class: 'text', text }),
      ),
    );
  }

  /** A one-line notice; `tone` is 'join', 'leave', 'info' or 'error'. */
  notice(text, tone = 'info') {
    this.#add(
      el('li', { class: `notice ${tone}` }, el('span', { class: 'text', text }), el('time', { text: clock(Date.now()) })),
    );
  }

  clear() {
    this.#list.replaceChildren();
  }

  #add(item) {
    const list = this.#list;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.append(item);
    while (list.childElementCount > KEEP) list.firstElementChild.remove();
    if (atBottom) list.scrollTop = list.scrollHeight;
  }
}
