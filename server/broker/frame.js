// A decoded STOMP frame.

const EMPTY = Buffer.alloc(0);

export class Frame {
  /**
   * @param {string} command
   * @param {Array<[string, string]>} headers every entry in wire order, repeats included
   * @param {Buffer} body
   */
  constructor(command, headers = [], body = EMPTY) {
    this.command = command;
    this.headers = headers;
    this.body = body;
  }

  /** The first value of header `name` (repeated headers: the first wins), or undefined. */
  get(name) {
    for (const [n, v] of this.headers) if (n === name) return v;
    return undefined;
  }

  /** The headers as an object, first occurrence of each name only. */
  toObject() {
    const out = Object.create(null);
    for (const [n, v] of this.headers) if (!(n in out)) out[n] = v;
    return out;
  }
}

/** What the decoder yields for an EOL between frames. */
export const HEARTBEAT = Object.freeze({ heartbeat: true });
