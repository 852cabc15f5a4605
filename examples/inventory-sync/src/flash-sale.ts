// The flash-sale driver: the same seeded orders offered once to the coupled shop and once to the
// shop behind Pier, then the comparison table, `oversold units: N` per run, and an HTML report.
// Usage: node flash-sale.js [--orders N] [--rate R] [--skus K] [--out DIR] [--only coupled|pier]
//        [--poison SHARE] [--pool N] [--concurrency N] [--stock-ratio R] [--sms-above CENTS] [--alert-webhook URL]
//        [--inventory-db postgres://…]   (or INVENTORY_DB_URL; default: a SQLite file per run)
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeCatalog, orderStream } from './catalog.js';
import { isPostgresUrl } from './inventory-store.js';
import { comparisonTable, writeHtmlReport } from './report.js';
import { computeResult, type RunResult } from './results.js';
import { runOnce, type Mode } from './run.js';

export interface FlashSaleOptions {
  orders: number;
  rate: number;
  skus: number;
  out: string;
  modes: Mode[];
  /** Share of orders with a legacy promo code (0–1). */
  poison: number;
  poolSize: number;
  concurrency: number;
  /** Stock as a share of the units the sale's orders ask for. */
  stockRatio: number;
  /** Orders in progress in the order service beyond which it answers 503 at once. */
  maxInProgress: number;
  smsThreshold: number;
  retryDelaySeconds: number;
  webhook?: string;
  /** A postgres:// URL for the inventory database (both runs, one after the other); default: SQLite in each run's directory. */
  inventoryDb?: string;
  progress: boolean;
  log: (line: string) => void;
}

export const defaults: FlashSaleOptions = {
  orders: 60_000,
  rate: 5_000,
  skus: 20,
  out: 'flash-sale-report',
  modes: ['coupled', 'pier'],
  poison: 0.001,
  poolSize: 4,
  concurrency: 5,
  stockRatio: 0.2,
  maxInProgress: 1000,
  smsThreshold: 20_000,
  retryDelaySeconds: 1,
  progress: true,
  log: (line) => console.log(line),
};

export interface FlashSaleOutcome {
  runs: RunResult[];
  reportFile: string;
  resultsFile: string;
}

export async function runFlashSale(opts: Partial<FlashSaleOptions> = {}): Promise<FlashSaleOutcome> {
  const o = { ...defaults, ...opts };
  const out = resolve(o.out);
  const catalog = makeCatalog(o.skus, o.orders, o.stockRatio);
  const stream = orderStream(catalog, o.poison);
  const orders = Array.from({ length: o.orders }, () => stream.next());
  const units = catalog.reduce((a, s) => a + s.stock, 0);
  o.log(`flash sale: ${o.orders} orders, ${o.skus} SKUs with ${units} units in stock, offered at ${o.rate}/s; ${stream.poisonIds.size} poison orders`);

  const runs: RunResult[] = [];
  for (const mode of o.modes) {
    o.log(`\n== ${mode === 'coupled' ? 'coupled: the order service writes the inventory DB directly' : 'via Pier: FIFO queue + inventory function'} ==`);
    const raw = await runOnce({ mode, dir: join(out, mode), catalog, orders, poisonIds: stream.poisonIds, rate: o.rate, poolSize: o.poolSize, maxInProgress: o.maxInProgress, concurrency: o.concurrency, smsThreshold: o.smsThreshold, retryDelaySeconds: o.retryDelaySeconds, webhook: o.webhook, inventoryDb: o.inventoryDb, progress: o.progress, log: o.log });
    const r = await computeResult(raw);
    runs.push(r);
    o.log(`oversold units: ${r.oversold} (${mode})`);
    if (r.metricsUrl) o.log(`alerts raised: ${r.alerts.length} (metric inventory_dlq_alerts_total was served at ${r.metricsUrl} during the run)`);
  }

  o.log(`\n${comparisonTable(runs)}\n`);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`;
  const reportFile = join(out, 'report.html');
  writeHtmlReport(reportFile, runs, { orders: o.orders, rate: o.rate, skus: o.skus, poison: o.poison, poolSize: o.poolSize, concurrency: o.concurrency, stockRatio: o.stockRatio, smsThreshold: o.smsThreshold, machine });
  const resultsFile = join(out, 'results.json');
  writeFileSync(resultsFile, JSON.stringify({ options: { ...o, log: undefined }, machine, runs: runs.map((r) => ({ ...r, series: undefined })) }, null, 2));
  o.log(`report: ${reportFile}`);
  return { runs, reportFile, resultsFile };
}

function cli(): Partial<FlashSaleOptions> {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string' },
      rate: { type: 'string' },
      skus: { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string' },
      poison: { type: 'string' },
      pool: { type: 'string' },
      concurrency: { type: 'string' },
      'stock-ratio': { type: 'string' },
      'sms-above': { type: 'string' },
      'alert-webhook': { type: 'string' },
      'inventory-db': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(`pier demo flash-sale [--orders N] [--rate R] [--skus K] [--out DIR] [--only coupled|pier]
  [--poison SHARE] [--pool N] [--concurrency N] [--stock-ratio R] [--sms-above CENTS] [--alert-webhook URL]
  [--inventory-db postgres://user@host:port/db]   (or the INVENTORY_DB_URL environment variable)
defaults: --orders ${defaults.orders} --rate ${defaults.rate} --skus ${defaults.skus} --out ${defaults.out} --poison ${defaults.poison} --pool ${defaults.poolSize} --concurrency ${defaults.concurrency} --stock-ratio ${defaults.stockRatio} --sms-above ${defaults.smsThreshold}`);
    process.exit(0);
  }
  const num = (name: string, v: string | undefined, lo: number, hi: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < lo || n > hi) {
      console.error(`--${name} must be a number from ${lo} to ${hi}, got ${v}`);
      process.exit(2);
    }
    return n;
  };
  if (values.only !== undefined && values.only !== 'coupled' && values.only !== 'pier') {
    console.error(`--only must be coupled or pier, got ${values.only}`);
    process.exit(2);
  }
  const inventoryDb = values['inventory-db'] ?? (process.env.INVENTORY_DB_URL || undefined);
  if (inventoryDb !== undefined && !isPostgresUrl(inventoryDb)) {
    console.error(`--inventory-db must be a postgres:// or postgresql:// URL, got ${inventoryDb}`);
    process.exit(2);
  }
  const picked: Partial<FlashSaleOptions> = {
    orders: num('orders', values.orders, 1, 1_000_000),
    rate: num('rate', values.rate, 1, 50_000),
    skus: num('skus', values.skus, 1, 1000),
    out: values.out,
    modes: values.only ? [values.only as Mode] : undefined,
    poison: num('poison', values.poison, 0, 0.5),
    poolSize: num('pool', values.pool, 1, 64),
    concurrency: num('concurrency', values.concurrency, 1, 50),
    stockRatio: num('stock-ratio', values['stock-ratio'], 0.01, 10),
    smsThreshold: num('sms-above', values['sms-above'], 0, 1e9),
    webhook: values['alert-webhook'],
    inventoryDb,
  };
  return Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const outcome = await runFlashSale(cli());
  const pier = outcome.runs.find((r) => r.mode === 'pier');
  process.exit(pier && (pier.oversold > 0 || !pier.settledExactlyOnce) ? 1 : 0);
}
