// The benchmark page: loads one client (?client=...) and exposes the scenarios to the driver as
// `window.bench`. `window.benchReady` resolves once the client is loaded (or rejects).
import { clientNamed } from './clients.js';
import * as scenarios from './scenarios.js';

const params = new URLSearchParams(location.search);
const adapter = clientNamed(params.get('client'), params.get('pkg') || '/pkg');

window.benchReady = adapter.load().then(() => {
  window.bench = {
    name: adapter.name,
    deliver: (o) => scenarios.deliver(adapter, o),
    publish: (o) => scenarios.publish(adapter, o),
    publishCheck: () => scenarios.publishCheck(),
    memoryOpen: (o) => scenarios.memoryOpen(adapter, o),
    memoryDeliver: (o) => scenarios.memoryDeliver(o),
    wasmMemoryBytes: () => adapter.wasmMemoryBytes?.() ?? null,
    e2e: (o) => scenarios.e2e(adapter, o),
  };
});
