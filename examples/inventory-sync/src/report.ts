// The comparison: a table on the terminal and a self-contained HTML report (inline SVG, no CDN)
// with offered vs accepted orders/s, backlog and lag over time for both runs.
import { writeFileSync } from 'node:fs';
import type { RunResult } from './results.js';
import { fmtInt, fmtMs } from './stats.js';
import { lineChart, type Series } from './svg-chart.js';

export interface ReportParams {
  orders: number;
  rate: number;
  skus: number;
  poison: number;
  poolSize: number;
  concurrency: number;
  stockRatio: number;
  smsThreshold: number;
  machine: string;
}

const NAMES = { coupled: 'coupled (direct DB)', pier: 'via Pier (FIFO + function)' } as const;

type Row = [string, (r: RunResult) => string];

const ROWS: Row[] = [
  ['order API latency p50', (r) => fmtMs(r.latencyP50)],
  ['order API latency p99', (r) => fmtMs(r.latencyP99)],
  ['accepted orders/s at peak', (r) => fmtInt(r.peakAcceptedPerSec)],
  ['inventory lag p50 (accepted → applied)', (r) => fmtMs(r.lagP50)],
  ['inventory lag p99', (r) => fmtMs(r.lagP99)],
  ['inventory DB transactions/s', (r) => fmtInt(r.dbTxPerSec)],
  ['oversold units', (r) => fmtInt(r.oversold)],
  ['stock drift (lost updates, units)', (r) => fmtInt(r.drift)],
  ['rejected orders (out of stock)', (r) => fmtInt(r.rejected)],
  ['DLQ count (poison + held behind them)', (r) => (r.dlq === null ? '— (no queue)' : `${fmtInt(r.dlq)} (${fmtInt(r.poisonAccepted)} + ${fmtInt(r.dlq - r.poisonAccepted)})`)],
  ['redriven after the fix', (r) => (r.redriven === null ? '—' : fmtInt(r.redriven))],
  ['errors (5xx, time-outs)', (r) => fmtInt(r.errors)],
  ['  of which shed at once (503 Busy)', (r) => fmtInt(r.shed)],
  ['orders accepted / offered', (r) => `${fmtInt(r.accepted)} / ${fmtInt(r.offered)}`],
  ['settled although the client timed out', (r) => fmtInt(r.unexpected)],
  ['every accepted order settled once', (r) => (r.settledExactlyOnce ? 'yes' : `NO (${[r.drift && 'stock drifted', r.missing && `${r.missing} missing`].filter(Boolean).join(', ')})`)],
];

export function comparisonTable(runs: RunResult[]): string {
  const cells = ROWS.map(([name, f]) => [name, ...runs.map(f)]);
  const head = ['', ...runs.map((r) => NAMES[r.mode])];
  const widths = head.map((_, c) => Math.max(head[c].length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('   ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('   '), ...cells.map(line)].join('\n');
}

const COLORS = { coupled: '#d9480f', pier: '#1971c2' } as const;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const perSec = (v: number[]): [number, number][] => v.map((y, i) => [i, y]);

export function writeHtmlReport(file: string, runs: RunResult[], p: ReportParams): void {
  const throughput: Series[] = runs.flatMap((r) => [
    { name: `${r.mode}: offered`, color: COLORS[r.mode], points: perSec(r.series.offered), dashed: true },
    { name: `${r.mode}: accepted`, color: COLORS[r.mode], points: perSec(r.series.accepted) },
  ]);
  const backlog: Series[] = runs.flatMap((r) => [
    { name: r.mode === 'pier' ? 'pier: queue depth' : 'coupled: orders in progress (waiting for the DB)', color: COLORS[r.mode], points: r.series.depth },
    ...(r.mode === 'pier' ? [{ name: 'pier: DLQ depth', color: '#2b8a3e', points: r.series.dlq, dashed: true }] : []),
  ]);
  const lag: Series[] = runs.flatMap((r) => [
    { name: `${r.mode}: lag p50`, color: COLORS[r.mode], points: perSec(r.series.lagP50), dashed: true },
    { name: `${r.mode}: lag p99`, color: COLORS[r.mode], points: perSec(r.series.lagP99) },
  ]);
  const table = `<table><tr><th></th>${runs.map((r) => `<th>${esc(NAMES[r.mode])}</th>`).join('')}</tr>${ROWS.map(
    ([name, f]) => `<tr><td>${esc(name)}</td>${runs.map((r) => `<td class="n">${esc(f(r))}</td>`).join('')}</tr>`,
  ).join('')}</table>`;
  const events = runs
    .flatMap((r) => [...r.events.map(([t, e]) => `${r.mode} +${t.toFixed(1)} s: ${e}`), ...r.warnings.map((w) => `${r.mode}: WARNING ${w}`)])
    .map((e) => `<li>${esc(e)}</li>`)
    .join('');
  const fanout = runs
    .filter((r) => r.fanout)
    .map((r) => `<p>Fan-out of "order accepted": ${fmtInt(r.fanout!.points)} points credits for ${fmtInt(r.applied)} applied orders; ${fmtInt(r.fanout!.sms)} SMS for the ${fmtInt(r.fanout!.smsExpected)} orders above ${(p.smsThreshold / 100).toFixed(2)}.</p>`)
    .join('');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Flash sale: coupled vs Pier</title>
<style>body{font-family:system-ui,sans-serif;max-width:820px;margin:2em auto;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}.note{color:#555;font-size:90%}svg{margin:1em 0;display:block}</style></head>
<body><h1>Flash sale: coupled vs Pier</h1>
<p>${fmtInt(p.orders)} orders for ${p.skus} SKUs (stock for ${Math.round(p.stockRatio * 100)}% of the units asked for) offered at ${fmtInt(p.rate)}/s; ${(p.poison * 100).toFixed(2)}% carry a legacy promo code the
consumer cannot parse until the fix. Coupled: the order service reads and writes stock through a pool of ${p.poolSize} connections, no transaction.
Pier: orders go to <code>inventory-updates.fifo</code> (group = SKU) and an inventory function (BatchSize 10, ${p.concurrency} lanes) applies them in transactions.
Measured on ${esc(p.machine)}, ${new Date().toISOString()}.</p>
${table}
${fanout}
${lineChart({ title: 'Offered vs accepted orders per second', xLabel: 'seconds since the sale opened', yLabel: 'orders/s', series: throughput })}
${lineChart({ title: 'Backlog', xLabel: 'seconds since the sale opened', yLabel: 'messages / requests', series: backlog })}
${lineChart({ title: 'Inventory lag (accepted → stock applied), by second applied', xLabel: 'seconds since the sale opened', yLabel: 'ms', series: lag })}
<p class="note">Lag excludes the orders held in the DLQ until the fix (the poison orders and those queued behind them in their SKU group).</p>
<h2>Timeline</h2><ul>${events}</ul>
</body></html>
`;
  writeFileSync(file, html);
}
