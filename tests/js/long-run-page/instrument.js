// Counts what the package leaves running, installed before it loads (tests/js/long-run.test.mjs):
// live timeouts and intervals, WebSockets not yet closed or still holding handlers, and
// listeners added with addEventListener and not removed.
// Timer ids map to where they were set (a stack), to tell a leaked timer's owner.
const live = { timeouts: new Map(), intervals: new Map(), listeners: 0 };
// Sockets the package made, held weakly (a collected one is not live), pruned as they go.
let sockets = [];
let socketsCreated = 0;

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;

globalThis.setTimeout = function setTimeout(fn, ms, ...args) {
  const id = realSetTimeout.call(globalThis, function fire(...a) {
    live.timeouts.delete(id);
    if (typeof fn === 'function') return fn.apply(this, a);
    return undefined;
  }, ms, ...args);
  live.timeouts.set(id, new Error().stack);
  return id;
};
globalThis.clearTimeout = function clearTimeout(id) {
  live.timeouts.delete(id);
  return realClearTimeout.call(globalThis, id);
};
globalThis.setInterval = function setInterval(fn, ms, ...args) {
  const id = realSetInterval.call(globalThis, fn, ms, ...args);
  live.intervals.set(id, new Error().stack);
  return id;
};
globalThis.clearInterval = function clearInterval(id) {
  live.intervals.delete(id);
  return realClearInterval.call(globalThis, id);
};

const RealWebSocket = globalThis.WebSocket;
globalThis.WebSocket = class WebSocket extends RealWebSocket {
  constructor(...args) {
    super(...args);
    socketsCreated += 1;
    sockets.push(new WeakRef(this));
  }
};

// Listeners, keyed by target, type and capture; the same listener twice counts once, as the
// browser does. `once` listeners are counted until removed by hand (the package adds none).
const registered = new WeakMap();
const keyOf = (type, options) => `${type}|${typeof options === 'boolean' ? options : Boolean(options?.capture)}`;
const realAdd = EventTarget.prototype.addEventListener;
const realRemove = EventTarget.prototype.removeEventListener;
EventTarget.prototype.addEventListener = function addEventListener(type, listener, options) {
  if (listener) {
    let byKey = registered.get(this);
    if (!byKey) registered.set(this, (byKey = new Map()));
    const key = keyOf(type, options);
    if (!byKey.has(key)) byKey.set(key, new Set());
    const set = byKey.get(key);
    if (!set.has(listener)) {
      set.add(listener);
      live.listeners += 1;
    }
  }
  return realAdd.call(this, type, listener, options);
};
EventTarget.prototype.removeEventListener = function removeEventListener(type, listener, options) {
  const set = registered.get(this)?.get(keyOf(type, options));
  if (set?.delete(listener)) live.listeners -= 1;
  return realRemove.call(this, type, listener, options);
};

/** Where the live timers were set. */
window.liveTimers = () => [...live.timeouts.values(), ...live.intervals.values()];

/** What is live now. */
window.liveCounts = () => {
  let open = 0;
  let withHandlers = 0;
  sockets = sockets.filter((ref) => ref.deref() !== undefined);
  for (const ref of sockets) {
    const s = ref.deref();
    if (s.readyState !== RealWebSocket.CLOSED) open += 1;
    if (s.onopen || s.onmessage || s.onclose || s.onerror) withHandlers += 1;
  }
  return {
    timeouts: live.timeouts.size,
    intervals: live.intervals.size,
    listeners: live.listeners,
    socketsOpen: open,
    socketsWithHandlers: withHandlers,
    socketsCreated,
  };
};
