// The competitors, each loaded as its users load it and driven through the same small shape:
//   load()                      once per page
//   open(target) -> session     connects; target is {socket} (a socket double) or {url, sockjs}
//   session.subscribe(destination, callback, headers)
//   session.send(destination, body, headers)
// Heart-beats are off for all. `countsSocketMessages`: the callback gets socket messages, not
// frames (the null client).

const PROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];
const LOGIN = { login: 'guest', passcode: 'guest' };

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.append(s);
  });
}

/** The socket a JS client runs over: the double, a WebSocket, or sockjs-client (xhr-streaming). */
function socketFor(target) {
  if (target.socket) return target.socket;
  if (target.sockjs) return new window.SockJS(target.url, null, { transports: ['xhr-streaming'] });
  return new WebSocket(target.url, PROTOCOLS);
}

async function loadSockJS(target) {
  if (target.sockjs && !window.SockJS) await loadScript('/vendor/sockjs-client/sockjs.min.js');
}

const fromClose = (e) => new Error(`closed before CONNECTED: ${e?.code} ${e?.reason ?? ''}`);

/** webstomp-wasm, imported from its package directory as a native ES module. */
function wasmClient(pkg) {
  let webstomp;
  return {
    name: 'webstomp-wasm',
    async load() {
      webstomp = (await import(`${pkg}/webstomp_wasm.js`)).default;
    },
    /** The WebAssembly memory in bytes, or null when the package does not let us see it. */
    async wasmMemoryBytes() {
      return (await import(`${pkg}/webstomp_wasm.js`)).wasmMemoryBytes?.() ?? null;
    },
    async open(target) {
      const options = { heartbeat: false };
      let c;
      if (target.socket) c = webstomp.over(target.socket, options);
      else if (target.sockjs) c = webstomp.client(target.url, { ...options, transports: ['xhr-streaming'] });
      else c = webstomp.client(target.url, options);
      await c.connect(LOGIN);
      return {
        client: c,
        subscribe: (d, cb, h) => c.subscribe(d, cb, h),
        send: (d, body, h) => c.send(d, body, h),
      };
    },
  };
}

/** @stomp/stompjs 7: its UMD bundle, `new Client({webSocketFactory})`. */
function stompjsClient() {
  return {
    name: '@stomp/stompjs',
    async load() {
      await loadScript('/vendor/stompjs/stomp.umd.min.js');
    },
    async open(target) {
      await loadSockJS(target);
      return new Promise((resolve, reject) => {
        const c = new window.StompJs.Client({
          webSocketFactory: () => socketFor(target),
          connectHeaders: LOGIN,
          heartbeatIncoming: 0,
          heartbeatOutgoing: 0,
          reconnectDelay: 0,
          debug: () => {},
          onConnect: () => resolve({
            client: c,
            subscribe: (d, cb, h) => c.subscribe(d, cb, h),
            send: (d, body, headers) => c.publish({ destination: d, body, headers }),
          }),
          onStompError: (f) => reject(new Error(`ERROR ${f.headers.message}`)),
          onWebSocketClose: (e) => reject(fromClose(e)),
        });
        c.activate();
      });
    },
  };
}

/** webstomp-client 1.2.6: its UMD bundle, `webstomp.over(socket)`. */
function webstompClient() {
  return {
    name: 'webstomp-client',
    async load() {
      await loadScript('/vendor/webstomp-client/webstomp.min.js');
    },
    async open(target) {
      await loadSockJS(target);
      return new Promise((resolve, reject) => {
        const c = window.webstomp.over(socketFor(target), { heartbeat: false, debug: false });
        c.connect(LOGIN, () => resolve({
          client: c,
          subscribe: (d, cb, h) => c.subscribe(d, cb, h),
          send: (d, body, h) => c.send(d, body, h),
        }), (e) => reject(e?.command ? new Error(`ERROR ${e.headers.message}`) : fromClose(e)));
      });
    },
  };
}

/**
 * The floor: pre-built CONNECT and SUBSCRIBE, SEND frames by string concatenation, and a
 * callback per socket message (it parses nothing).
 */
function nullClient() {
  return {
    name: 'null',
    countsSocketMessages: true,
    async load() {},
    async open(target) {
      await loadSockJS(target);
      const socket = socketFor(target);
      await new Promise((resolve, reject) => {
        const connect = () => socket.send('CONNECT\naccept-version:1.2\nheart-beat:0,0\nlogin:guest\npasscode:guest\n\n\0');
        socket.onmessage = (e) => {
          if (typeof e.data === 'string' && e.data.startsWith('CONNECTED')) resolve();
          else if (typeof e.data === 'string' && e.data.startsWith('ERROR')) reject(new Error(e.data));
        };
        socket.onclose = (e) => reject(fromClose(e));
        if (socket.readyState === 1) connect();
        else socket.onopen = connect;
      });
      return {
        client: socket,
        subscribe(d, cb, h) {
          socket.send(`SUBSCRIBE\nid:${h.id}\ndestination:${d}\n\n\0`);
          socket.onmessage = cb;
        },
        send(d, body, h) {
          socket.send(`SEND\ndestination:${d}\ncontent-type:${h['content-type']}\ncontent-length:${body.length}\n\n${body}\0`);
        },
      };
    },
  };
}

/** The adapter named `name` ('wasm', 'stompjs', 'webstomp-client', 'null'). */
export function clientNamed(name, pkg = '/pkg') {
  switch (name) {
    case 'wasm': return wasmClient(pkg);
    case 'stompjs': return stompjsClient();
    case 'webstomp-client': return webstompClient();
    case 'null': return nullClient();
    default: throw new Error(`unknown client ${name}`);
  }
}
