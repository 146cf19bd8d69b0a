// Type-checked by tests/js/types.test.mjs with `tsc --noEmit --strict`: the whole API.md
// surface as a TypeScript user writes it, resolved through the package's `exports` (its
// `types` condition), and `@ts-expect-error` lines proving that wrong calls are type errors
// (tsc fails on an expect-error line that is not one).
import webstomp, { Client, VERSIONS, client, over } from 'webstomp-wasm';
import type {
  CloseEvent,
  Frame,
  HeaderInput,
  Message,
  Options,
  State,
  StompError,
  Subscription,
  Transaction,
  Transport,
  WebSocketLike,
} from 'webstomp-wasm';

// ----- creating clients -----
const ws = new WebSocket('ws://127.0.0.1:15674/ws', ['v12.stomp']);
const c: Client = webstomp.over(ws, { heartbeat: false, debug: true });
const options: Options = {
  protocols: ['v12.stomp', 'v11.stomp'],
  heartbeat: { outgoing: 1000, incoming: 0 },
  debug: (line: string) => console.log(line),
  binary: true,
  maxWebSocketFrameSize: 16 * 1024,
  maxFrameSize: 1 << 20,
  timeout: 3000,
  transports: ['websocket', 'xhr-polling'],
  reconnect: { delay: 500, maxDelay: 10_000, multiplier: 1.5, jitter: 0.2, maxAttempts: 5 },
};
const c2: Client = client('ws://127.0.0.1:15674/ws', options);
const c3: Client = client(['ws://a.example/ws', 'https://b.example/stomp'], { reconnect: false });
const sameFunctions: boolean = over === webstomp.over && client === webstomp.client && Client === webstomp.Client;
const fake: WebSocketLike = {
  readyState: 0,
  send(_data: string | ArrayBuffer | Uint8Array) {},
  close() {},
  onopen: null,
  onmessage: null,
  onclose: null,
  onerror: null,
};
over(fake);
const v12: '1.2' = VERSIONS.V1_2;
const supported: string = VERSIONS.supportedVersions();
const protocols: string[] = VERSIONS.supportedProtocols();

// ----- connect, in every form -----
c.connect(
  { login: 'guest', passcode: 'guest', host: '/', 'x-n': 5 },
  (frame: Frame) => {
    const server: string | undefined = frame.headers['server'];
    const body: string = frame.body;
  },
  (error: StompError) => {
    if ('command' in error) {
      const message: string | undefined = error.headers.message;
      const bytes: Uint8Array = error.binaryBody;
    } else {
      const close: CloseEvent = error;
      const code: number = error.code;
      const clean: boolean = error.wasClean;
    }
  },
);
c.connect('guest', 'guest', () => {}, () => {}, 'vhost');
c.connect('guest', 'guest', () => {});
c.connect((frame) => frame.command);
const connected1: Promise<Frame> = c.connect();
const connected2: Promise<Frame> = c.connect({ login: 'guest', passcode: 'guest' });
const connected3: Promise<Frame> = c.connect('guest', 'guest');

// ----- disconnect -----
c.disconnect(() => {});
c.disconnect(() => {}, { receipt: 'bye' });
const disconnected: Promise<void> = c.disconnect();
const disconnected2: Promise<void> = c.disconnect({ 'x-why': 'done' });

// ----- send -----
c.send('/queue/a');
c.send('/queue/a', 'text');
c.send('/queue/a', new Uint8Array([1, 2]));
c.send('/queue/a', new ArrayBuffer(2), { 'content-type': 'application/octet-stream', 'content-length': false });
c.send('/queue/a', 'x', { priority: 9, persistent: true, skipped: undefined, none: null });
const receipt1: Promise<Frame> = c.send('/queue/a', 'x', { receipt: true });
const receipt2: Promise<Frame> = c.send('/queue/a', 'x', { receipt: 'r-1', 'x-a': 'b' });
const noReceipt: void = c.send('/queue/a', 'x', { 'x-a': 'b' });

// ----- subscribe -----
const sub: Subscription = c.subscribe(
  '/queue/a',
  (m: Message) => {
    m.ack();
    m.nack({ requeue: 'false' });
    const bytes: Uint8Array = m.binaryBody;
    const text: string = m.body;
    const id: string | undefined = m.headers['message-id'];
  },
  { id: 'mine', ack: 'client-individual' },
);
const subId: string = sub.id;
sub.unsubscribe();
sub.unsubscribe({ 'x-a': 'b' });
c.unsubscribe('mine');
c.unsubscribe('mine', {});

// ----- transactions and acknowledgements -----
const tx: Transaction = c.begin();
tx.commit();
tx.abort();
const txId: string = c.begin('tx-1').id;
c.commit('tx-1');
c.abort('tx-1');
c.ack('m-1', 'sub-0');
c.nack('m-1', 'sub-0', { transaction: 'tx-1' });

// ----- properties and handlers -----
c.onreceive = (m) => m.ack();
c.onreceive = undefined;
c.onreceive = null;
c.onreceipt = (f) => f.headers['receipt-id'];
c.onstatechange = (s: State) => console.log(s);
c.debug = true;
c.debug = (line) => console.log(line.length);
const isConnected: boolean = c.connected;
const version: '1.0' | '1.1' | '1.2' | undefined = c.version;
const transport: Transport | undefined = c.transport;
const state: State = c.state;
const headers: HeaderInput = { a: 'b', n: 1, t: true };

// ----- what must not type-check -----
// @ts-expect-error connected is read-only
c.connected = true;
// @ts-expect-error state is read-only
c.state = 'idle';
// @ts-expect-error version is read-only
c.version = '1.2';
// @ts-expect-error Client is made by over() or client()
new Client();
// @ts-expect-error heartbeat is {outgoing, incoming} or false
over(ws, { heartbeat: true });
// @ts-expect-error debug is a boolean or a function
over(ws, { debug: 'yes' });
// @ts-expect-error binary is a boolean
over(ws, { binary: 1 });
// @ts-expect-error unknown SockJS transport
client('http://x/stomp', { transports: ['carrier-pigeon'] });
// @ts-expect-error a socket needs close() and the on* handlers
over({ send() {} });
// @ts-expect-error url is a string or an array of strings
client(5);
// @ts-expect-error destination is a string
c.send(5);
// @ts-expect-error body is a string, Uint8Array or ArrayBuffer
c.send('/q', { not: 'a body' });
// @ts-expect-error receipt is true or a string
c.send('/q', 'x', { receipt: 5 });
// @ts-expect-error header values are strings, numbers or booleans
c.send('/q', 'x', { 'x-obj': {} });
// @ts-expect-error subscribe needs a callback
c.subscribe('/q');
// @ts-expect-error the callback is a function
c.subscribe('/q', 'callback');
// @ts-expect-error a transaction id is a string
c.begin(5);
// @ts-expect-error commit needs the transaction
c.commit();
// @ts-expect-error ack needs the subscription
c.ack('m-1');
// @ts-expect-error connect headers are an object
c.connect(5);
// @ts-expect-error the passcode is a string
c.connect('login', 5);
// @ts-expect-error the callback form returns nothing, not a Promise
const notAPromise: Promise<Frame> = c.connect({}, () => {});
// @ts-expect-error send without a receipt returns nothing
const notAReceipt: Promise<Frame> = c.send('/q', 'x');
// @ts-expect-error an error is an ERROR frame or a close event: narrow it first
c.connect({}, () => {}, (e) => e.code);
// @ts-expect-error onstatechange gets a State
c.onstatechange = (s: number) => {};
// @ts-expect-error not a state
const notAState: State = 'open';
// @ts-expect-error debug is a boolean or a function
c.debug = 'verbose';
// @ts-expect-error disconnect's callback is a function
c.disconnect('callback');
// @ts-expect-error MESSAGE frames have ack(); a CONNECTED frame does not
c.connect().then((f) => f.ack());

export { c2, c3, sameFunctions, v12, supported, protocols, connected1, connected2, connected3, disconnected, disconnected2 };
export { receipt1, receipt2, noReceipt, subId, txId, isConnected, version, transport, state, headers };
