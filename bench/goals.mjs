// Issue 7's goals, checked against one run's medians. Each row: what, goal, aim, current, verdict.
import { summary, rate, bytes, ratio } from './stats.mjs';
import { DELIVER_VARIANTS, VARIANT_LABELS } from './config.mjs';

const med = (xs) => summary(xs ?? [])?.median ?? NaN;
const verdict = (ok, aimOk) => (ok ? (aimOk ? '**met**, aim met' : '**met**') : 'not met');

/** The goal rows for the report (markdown cells). */
export function goalRows({ results, size }) {
  const rows = [];
  for (const v of DELIVER_VARIANTS) {
    const d = results.deliver[v];
    if (!d) continue;
    const ours = med(d.wasm);
    const best = Math.max(med(d.stompjs), med(d['webstomp-client']));
    const r = ours / best;
    rows.push([`deliver, ${VARIANT_LABELS[v]}`, '≥ fastest JS client', '2×',
      `${rate(ours)} vs ${rate(best)} (${ratio(r)})`, Number.isFinite(r) ? verdict(r >= 1, r >= 2) : 'n/a']);
  }
  const p = results.publish.rate;
  if (p) {
    const r = med(p.wasm) / med(p['webstomp-client']);
    rows.push(['publish', '≥ webstomp-client', '2×', `${rate(med(p.wasm))} vs ${rate(med(p['webstomp-client']))} (${ratio(r)})`,
      Number.isFinite(r) ? verdict(r >= 1, r >= 2) : 'n/a']);
  }
  if (size) {
    const [ours, sum, sockjs] = ['wasm', 'stompjs+sockjs', 'sockjs-client'].map((id) => size.find((s) => s.id === id));
    rows.push(['size, whole package gzip', `< stompjs + sockjs-client (${bytes(sum.gzip)})`, `< sockjs-client (${bytes(sockjs.gzip)})`,
      `${bytes(ours.gzip)} as shipped, ${bytes(ours.gzipMinified)} JS minified`, verdict(ours.gzip < sum.gzip, ours.gzip < sockjs.gzip)]);
  }
  const m = results.memory;
  if (m.retained) {
    const ours = med(m.retained.wasm);
    const wc = med(m.retained['webstomp-client']);
    rows.push(['memory, retained JS heap after GC', '≤ webstomp-client', '',
      `${bytes(ours, 'KiB')} vs ${bytes(wc, 'KiB')}`, Number.isFinite(ours / wc) ? verdict(ours <= wc) : 'n/a']);
    const peak = med(m.peakGrowth.wasm);
    const wcPeak = med(m.peakGrowth['webstomp-client']);
    rows.push(['memory, peak JS heap during delivery', '≤ webstomp-client', '',
      `+${bytes(peak, 'KiB')} vs +${bytes(wcPeak, 'KiB')}`, Number.isFinite(peak / wcPeak) ? verdict(peak <= wcPeak) : 'n/a']);
    const growth = med(m.wasmGrowth?.wasm);
    rows.push(['memory, WebAssembly memory growth', '≤ 1 MiB', '',
      Number.isFinite(growth) ? bytes(growth, 'KiB') : 'not measurable (the package exposes no Memory)',
      Number.isFinite(growth) ? verdict(growth <= 1 << 20) : 'n/a']);
  }
  const e = results.e2e.ws;
  if (e) {
    const r = med(e.wasm) / med(e.null);
    rows.push(['e2e raw WebSocket: not the bottleneck', '≥ 90% of the null client', '',
      `${rate(med(e.wasm))} vs ${rate(med(e.null))} (${ratio(r)})`, Number.isFinite(r) ? verdict(r >= 0.9) : 'n/a']);
  }
  return rows;
}
