// Small numeric helpers for the run's figures: percentiles and per-second series.

/** The p-th percentile (0–100) of `xs` (nearest rank); NaN when empty. */
export function percentile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Groups (second, value) pairs and maps each second's values; missing seconds get `empty`. */
export function perSecond(pairs: [number, number][], seconds: number, f: (vs: number[]) => number, empty = 0): number[] {
  const buckets: number[][] = Array.from({ length: seconds }, () => []);
  for (const [s, v] of pairs) if (s >= 0 && s < seconds) buckets[s].push(v);
  return buckets.map((b) => (b.length ? f(b) : empty));
}

export const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}
