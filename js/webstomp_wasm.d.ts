// Type declarations for webstomp-wasm (the API in API.md).

/** Header names to values. Values given by callers may also be numbers or booleans. */
export type StompHeaders = Record<string, string>;

/** Headers a caller passes: `undefined`/`null` values are left out. */
export type HeaderInput = Record<string, string | number | boolean | null | undefined>;

/** A STOMP command as it appears in frames given to callbacks. */
export type Command = 'CONNECTED' | 'MESSAGE' | 'RECEIPT' | 'ERROR';

/** A frame given to a callback. */
export interface Frame {
  /** The command. */
  command: Command;
  /** The headers, unescaped per the negotiated version; a repeated header keeps its first value. */
  headers: StompHeaders;
  /** The body as UTF-8 text. */
  body: string;
  /** The exact body bytes (NUL bytes included when the frame had `content-length`). */
  binaryBody: Uint8Array;
}

/** A MESSAGE frame, which can be acknowledged. */
export interface Message extends Frame {
  command: 'MESSAGE';
  /** Acknowledges this message (`ack` header in 1.2, `message-id` before). */
  ack(headers?: HeaderInput): void;
  /** Rejects this message (STOMP 1.1 and 1.2). */
  nack(headers?: HeaderInput): void;
}

/** The close of the transport, as given to error callbacks and rejections. */
export interface CloseEvent {
  /** WebSocket or SockJS close code (4000-range codes are the client's own, e.g. heart-beat loss). */
  code: number;
  /** A readable reason. */
  reason: string;
  /** Whether the close was clean. */
  wasClean: boolean;
}

/** What an error callback gets: an ERROR frame or a close event. */
export type StompError = (Frame & { command: 'ERROR' }) | CloseEvent;

/** Connection states. */
export type State = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnecting' | 'closed';

/** Transports. */
export type Transport = 'websocket-raw' | 'websocket' | 'xhr-streaming' | 'xhr-polling' | 'over';

/** SockJS transport names for `options.transports`. */
export type SockJsTransport = 'websocket' | 'xhr-streaming' | 'xhr-polling';

/** Reconnect policy. */
export interface ReconnectOptions {
  /** First delay in ms. Default 1000. */
  delay?: number;
  /** Largest delay in ms. Default 30000. */
  maxDelay?: number;
  /** Growth per attempt. Default 2. */
  multiplier?: number;
  /** Random spread, 0..1. Default 0.5. */
  jitter?: number;
  /** Attempts before giving up. Default unlimited. */
  maxAttempts?: number;
}

/** Options for `over()` and `client()`. Unknown keys are ignored; wrong types throw a TypeError. */
export interface Options {
  /** WebSocket subprotocols; also decide `accept-version`. Default `['v12.stomp','v11.stomp','v10.stomp']`. */
  protocols?: string[];
  /** Heart-beat intervals in ms, or `false` for none. Default `{outgoing: 10000, incoming: 10000}`. */
  heartbeat?: { outgoing?: number; incoming?: number } | false;
  /** `true` logs to `console.debug`; a function receives each log line. Default `false`. */
  debug?: boolean | ((line: string) => void);
  /** Send frames as binary WebSocket messages. Default `false`. */
  binary?: boolean;
  /** Split outgoing frames into messages of at most this many bytes. Default 0 (no split). */
  maxWebSocketFrameSize?: number;
  /** Incoming frame limit in bytes. Default 16777216. */
  maxFrameSize?: number;
  /** SockJS transports to try, in order. Default all three. */
  transports?: SockJsTransport[];
  /** ms: per-attempt SockJS transport timeout floor, and the CONNECT-to-CONNECTED limit. Default 5000. */
  timeout?: number;
  /** Reconnect policy, or `false` (the default) for none. Needs `client()` or `over(factory)`. */
  reconnect?: ReconnectOptions | false;
  /** The most commands held while not connected; past it `send()` throws. Default 10000. */
  maxQueued?: number;
}

/** A live subscription. */
export interface Subscription {
  /** The subscription id (`headers.id` when given, else `sub-0`, `sub-1`, ...). */
  id: string;
  /** Ends the subscription. */
  unsubscribe(headers?: HeaderInput): void;
}

/** A transaction begun with `begin()`. */
export interface Transaction {
  /** The transaction id. */
  id: string;
  /** Commits it. */
  commit(): void;
  /** Aborts it. */
  abort(): void;
}

/** Headers for `send()`: `receipt: true` (or an id) asks for a RECEIPT; `content-length: false` omits it. */
export type SendHeaders = Omit<HeaderInput, 'receipt' | 'content-length'> & {
  receipt?: true | string | null;
  'content-length'?: false | string | number;
};

/** Anything with the shape of a WebSocket. */
export interface WebSocketLike {
  send(data: string | ArrayBuffer | Uint8Array): void;
  close(code?: number, reason?: string): void;
  readyState?: number;
  protocol?: string;
  binaryType?: string;
  onopen: ((ev: any) => any) | null;
  onmessage: ((ev: any) => any) | null;
  onclose: ((ev: any) => any) | null;
  onerror: ((ev: any) => any) | null;
}

/** A STOMP client. */
export declare class Client {
  private constructor();
  /** Gets MESSAGE frames that match no subscription. */
  onreceive: ((message: Message) => void) | null | undefined;
  /** Gets every RECEIPT frame. */
  onreceipt: ((receipt: Frame) => void) | null | undefined;
  /** Called with the new state on every change. */
  onstatechange: ((state: State) => void) | null | undefined;
  /** `true` logs to `console.debug`; a function receives each log line. */
  debug: boolean | ((line: string) => void);
  /** Whether the STOMP session is open. */
  readonly connected: boolean;
  /** The negotiated version, once connected. */
  readonly version: '1.0' | '1.1' | '1.2' | undefined;
  /** The transport in use. */
  readonly transport: Transport | undefined;
  /** The connection state. */
  readonly state: State;
  /** The current reconnect attempt (0 when not reconnecting). */
  readonly reconnectAttempt: number;

  connect(headers: HeaderInput, connectCallback: (frame: Frame) => void, errorCallback?: (error: StompError) => void): void;
  connect(connectCallback: (frame: Frame) => void, errorCallback?: (error: StompError) => void): void;
  connect(
    login: string,
    passcode: string,
    connectCallback: (frame: Frame) => void,
    errorCallback?: (error: StompError) => void,
    host?: string,
  ): void;
  connect(login: string, passcode: string): Promise<Frame>;
  connect(headers?: HeaderInput): Promise<Frame>;

  disconnect(callback: () => void, headers?: HeaderInput): void;
  disconnect(headers?: HeaderInput): Promise<void>;

  send(destination: string, body: string | Uint8Array | ArrayBuffer, headers: SendHeaders & { receipt: true | string }): Promise<Frame>;
  send(destination: string, body?: string | Uint8Array | ArrayBuffer, headers?: SendHeaders): void;

  subscribe(destination: string, callback: (message: Message) => void, headers?: HeaderInput): Subscription;
  unsubscribe(id: string, headers?: HeaderInput): void;

  begin(transaction?: string): Transaction;
  commit(transaction: string): void;
  abort(transaction: string): void;

  ack(messageId: string, subscription: string, headers?: HeaderInput): void;
  nack(messageId: string, subscription: string, headers?: HeaderInput): void;
}

/**
 * A client over an existing WebSocket or WebSocket-shaped object, or over a function that makes
 * a new one for each connection (which lets the client reconnect).
 */
export declare function over(socket: WebSocketLike | (() => WebSocketLike), options?: Options): Client;

/** The size in bytes of the package's WebAssembly memory (it grows, never shrinks): for monitoring. */
export declare function wasmMemoryBytes(): number;

/** A client for `ws(s)://` (WebSocket) or `http(s)://` (SockJS) URLs; an array fails over. */
export declare function client(url: string | string[], options?: Options): Client;

/** The versions and subprotocols spoken. */
export declare const VERSIONS: {
  readonly V1_0: '1.0';
  readonly V1_1: '1.1';
  readonly V1_2: '1.2';
  supportedVersions(): string;
  supportedProtocols(): string[];
};

declare const webstomp: {
  over: typeof over;
  client: typeof client;
  Client: typeof Client;
  VERSIONS: typeof VERSIONS;
};
export default webstomp;
