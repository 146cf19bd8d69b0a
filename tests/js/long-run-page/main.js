// The long-run page: the instrumentation first, then the package as an app loads it.
import './instrument.js';

try {
  window.webstomp = (await import('./pkg/webstomp_wasm.js')).default;
  // The package exposes no WebAssembly.Memory; its wasm-bindgen glue, already initialised by
  // the package, hands back the instance's exports (with `memory`) when called again.
  const core = await import('./pkg/webstomp_wasm_core.js');
  window.wasmMemory = (await core.default()).memory;
  window.ready = true;
} catch (e) {
  window.loadError = `${e.name}: ${e.message}`;
}
