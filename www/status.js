// The status bar: connection state, transport, STOMP version, heart-beats and reconnect attempts,
// all read from the client as a user of the library would.
import { $ } from './dom.js';

/**
 * The heart-beat intervals in force, per the STOMP spec: ours (`cx,cy` we asked for) against
 * the server's CONNECTED `heart-beat: sx,sy`. 0 means off.
 */
export function negotiate(ours, header) {
  const [sx, sy] = String(header ?? '0,0').split(',').map((n) => Number.parseInt(n, 10) || 0);
  return {
    outgoing: ours.outgoing && sy ? Math.max(ours.outgoing, sy) : 0,
    incoming: ours.incoming && sx ? Math.max(ours.incoming, sx) : 0,
  };
}

const seconds = (ms) => (ms ? `${Math.round(ms / 100) / 10} s` : 'off');

export class StatusBar {
  #fields;
  #alert;
  #alertText;
  #reconnect;

  constructor() {
    this.#fields = {
      state: $('#st-state'),
      transport: $('#st-transport'),
      version: $('#st-version'),
      heartbeat: $('#st-heartbeat'),
      reconnects: $('#st-reconnects'),
    };
    this.#alert = $('#alert');
    this.#alertText = $('#alert-text');
    this.#reconnect = $('#reconnect');
  }

  /**
   * Reads the client's state, transport, version and reconnect attempt. While it reconnects,
   * the Reconnects field says which attempt is under way (or next); otherwise how many times
   * this client has reconnected (`reconnects`, counted by the page from its CONNECTED frames).
   */
  show(client, reconnects = 0) {
    const f = this.#fields;
    const state = client ? client.state : 'idle';
    f.state.textContent = state;
    f.state.dataset.state = state;
    document.body.dataset.state = state;
    f.transport.textContent = client?.transport ?? '–';
    f.version.textContent = client?.version ?? '–';
    f.reconnects.textContent = state === 'reconnecting' ? `attempt ${client.reconnectAttempt}` : String(reconnects);
  }

  /** The heart-beats of the CONNECTED frame, as negotiated with ours. */
  heartbeat(ours, header) {
    const f = this.#fields.heartbeat;
    if (header === undefined) {
      f.textContent = '–';
      f.title = '';
      return;
    }
    const hb = negotiate(ours, header);
    f.textContent = `↑ ${seconds(hb.outgoing)} · ↓ ${seconds(hb.incoming)}`;
    f.title = `server heart-beat: ${header}; ours: ${ours.outgoing},${ours.incoming}`;
  }

  /** Shows a problem (or clears it with no argument). */
  alert(text) {
    this.#alertText.textContent = text ?? '';
    this.#reconnect.hidden = true;
    this.#alert.hidden = !text;
  }

  /** Offers the Reconnect button, under the last problem shown (or a plain "Disconnected."). */
  offerReconnect() {
    if (this.#alert.hidden) this.#alertText.textContent = 'Disconnected.';
    this.#reconnect.hidden = false;
    this.#alert.hidden = false;
  }
}
