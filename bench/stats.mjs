// Medians, spreads and the number formats of the report.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `{ median, min, max, n }` of the finite values in `xs` (null when there are none). */
export function summary(xs) {
  const v = xs.filter(Number.isFinite);
  if (!v.length) return null;
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

/** 1234 -> "1.23k", 2420000 -> "2.42M": three significant digits. */
export function rate(x) {
  if (!Number.isFinite(x)) return 'n/a';
  const [v, unit] = x >= 1e6 ? [x / 1e6, 'M'] : x >= 1e3 ? [x / 1e3, 'k'] : [x, ''];
  return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + unit;
}

/** Bytes with thousands separators ("22,854 B"), or KiB/MiB for large values. */
export function bytes(x, unit = 'B') {
  if (!Number.isFinite(x)) return 'n/a';
  if (unit === 'B') return `${Math.round(x).toLocaleString('en-US')} B`;
  const sign = x < 0 ? '-' : '';
  const a = Math.abs(x);
  if (a >= 1024 * 1024) return `${sign}${(a / 1024 / 1024).toFixed(1)} MiB`;
  return `${sign}${(a / 1024).toFixed(a >= 10240 ? 0 : 1)} KiB`;
}

/** "×1.23" (a ratio with three significant digits). */
export function ratio(x) {
  if (!Number.isFinite(x)) return '';
  return '×' + (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
}
