// The long-run page: the instrumentation first, then the package as an app loads it.
import './instrument.js';

try {
  window.webstomp = (await import('./pkg/webstomp_wasm.js')).default;
  window.ready = true;
} catch (e) {
  window.loadError = `${e.name}: ${e.message}`;
}
