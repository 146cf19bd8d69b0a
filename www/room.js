// Being in a room: its two subscriptions, the periodic presence announcement, saying things,
// and leaving cleanly (unsubscribe, then a goodbye on the presence topic).
import { chatTopic, presenceTopic, chatBody, presenceBody, parse, HEADERS } from './protocol.js';

export class Room {
  #client;
  #me;
  #subs = [];
  #timer = 0;

  /**
   * `me` is `{id, nick}` (the nick may change while in the room). `every`: ms between
   * announcements. `on.chat(msg, room)` and `on.presence(msg, room)` get checked messages.
   */
  constructor(client, name, me, every, on) {
    this.#client = client;
    this.name = name;
    this.#me = me;
    this.every = every;
    this.on = on;
  }

  /** Subscribes to the room's topics, says hello and starts announcing. */
  enter() {
    const deliver = (handler) => (frame) => {
      const msg = parse(frame.body);
      if (msg) handler(msg, this);
    };
    this.#subs = [
      this.#client.subscribe(chatTopic(this.name), deliver(this.on.chat)),
      this.#client.subscribe(presenceTopic(this.name), deliver(this.on.presence)),
    ];
    this.announce('hello');
    this.#timer = setInterval(() => this.announce('here'), this.every);
  }

  /** Sends a presence message ('hello', 'here' or 'bye') if the client is connected. */
  announce(kind) {
    if (!this.#client.connected) return;
    this.#client.send(presenceTopic(this.name), presenceBody(kind, this.#me, this.every), HEADERS);
  }

  /** Sends a chat message to the room. */
  say(text) {
    this.#client.send(chatTopic(this.name), chatBody(this.#me, text), HEADERS);
  }

  /**
   * Leaving the page: stops announcing and says goodbye at once, before anything else, since
   * over the HTTP transports the page may unload before a second request goes out. (The
   * DISCONNECT that follows ends the subscriptions.)
   */
  goodbye() {
    clearInterval(this.#timer);
    this.announce('bye');
    this.#subs = [];
  }

  /** Stops announcing, unsubscribes, and says goodbye (when still connected). */
  leave() {
    clearInterval(this.#timer);
    for (const sub of this.#subs) {
      try {
        sub.unsubscribe();
      } catch {
        // The connection is gone, and its subscriptions with it.
      }
    }
    this.#subs = [];
    this.announce('bye');
  }
}
