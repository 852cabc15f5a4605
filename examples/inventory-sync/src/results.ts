// Turns a run's raw records (the load generator's per-order answers, the inventory database, the
// samples) into the comparison's figures and the report's time series.
import type { Alert } from './dlq-alarm.js';
import { auditStore, openStore, value } from './inventory-store.js';
import { loyaltyCounts } from './loyalty-db.js';
import type { Mode, RawRun } from './run.js';
import { percentile, perSecond } from './stats.js';

export interface RunResult {
  mode: Mode;
  offered: number;
  accepted: number;
  /** 4xx answers (none expected from the driver's well-formed orders). */
  invalid: number;
  /** 5xx answers, time-outs and connection errors. */
  errors: number;
  /** Of the errors: 503 Busy, refused at once by the service's load shedding. */
  shed: number;
  latencyP50: number;
  latencyP99: number;
  peakAcceptedPerSec: number;
  lagP50: number;
  lagP99: number;
  dbTxPerSec: number;
  dbTransactions: number;
  oversold: number;
  /** Units the stock column lost track of (lost updates). */
  drift: number;
  applied: number;
  rejected: number;
  dlq: number | null;
  redriven: number | null;
  poisonAccepted: number;
  /** Accepted orders that are not in the database. */
  missing: number;
  /** Orders settled although the client saw no 2xx (it timed out first): the answer was lost, not the order. */
  unexpected: number;
  /** Every accepted order applied or rejected exactly once, stock consistent with them. */
  settledExactlyOnce: boolean;
  fanout: { points: number; sms: number; smsExpected: number } | null;
  alerts: Alert[];
  metricsUrl?: string;
  events: [number, string][];
  warnings: string[];
  durationMs: number;
  series: {
    offered: number[];
    accepted: number[];
    depth: [number, number][];
    dlq: [number, number][];
    lagP50: number[];
    lagP99: number[];
  };
}

export async function computeResult(raw: RawRun): Promise<RunResult> {
  const { opts, load } = raw;
  const n = opts.orders.length;
  const ok = (i: number) => load.status[i] >= 200 && load.status[i] < 300;
  const okLat: number[] = [];
  const acceptedIds = new Set<string>();
  let invalid = 0;
  let errors = 0;
  let shed = 0;
  for (let i = 0; i < n; i++) {
    if (ok(i)) {
      okLat.push(load.latencyMs[i]);
      acceptedIds.add(opts.orders[i].orderId);
    } else if (load.status[i] >= 400 && load.status[i] < 500) invalid++;
    else errors++;
    if (load.status[i] === 503) shed++;
  }
  const seconds = Math.ceil(load.durationMs / 1000) + 1;
  const offered = perSecond(Array.from(load.dueAtMs, (ms) => [Math.floor(ms / 1000), 1] as [number, number]), seconds, (v) => v.length);
  const accepted = perSecond(
    Array.from(load.doneAtMs, (ms, i) => [ok(i) ? Math.floor(ms / 1000) : -1, 1] as [number, number]),
    seconds,
    (v) => v.length,
  );

  const db = await openStore(raw.inventoryDb);
  const a = await auditStore(db);
  const rows = await db.all<{ id: string; acc: number; app: number }>('SELECT order_id AS id, accepted_at AS acc, applied_at AS app FROM orders');
  const [tx] = await db.all<{ n: number; first: number | null; last: number | null }>('SELECT COUNT(*) AS n, MIN(at) AS first, MAX(at) AS last FROM tx_log');
  const smsExpected = await value(db, "SELECT COUNT(*) FROM orders WHERE status = 'applied' AND amount > ?", [opts.smsThreshold]);
  await db.close();

  // Lag: accepted → applied, over orders that were not held in the DLQ until the fix.
  const lagPairs: [number, number][] = [];
  const inDb = new Set<string>();
  const fixAt = raw.fixAt ?? Infinity;
  for (const r of rows) {
    inDb.add(r.id);
    if (r.app < fixAt) lagPairs.push([Math.floor((r.app - load.startedAt) / 1000), r.app - r.acc]);
  }
  const lags = lagPairs.map((p) => p[1]);
  const lagSeconds = lagPairs.reduce((m, p) => Math.max(m, p[0] + 1), seconds);
  const missing = [...acceptedIds].filter((id) => !inDb.has(id)).length;
  const unexpected = [...inDb].filter((id) => !acceptedIds.has(id)).length;

  // Transactions: the Pier consumer logs one per batch; the coupled service's statements each autocommit.
  const pier = opts.mode === 'pier';
  const dbTransactions = pier ? tx.n : raw.dbWrites;
  const spanMs = pier ? (tx.last ?? 0) - (tx.first ?? 0) : a.lastAt - a.firstAt;
  return {
    mode: opts.mode,
    offered: n,
    accepted: acceptedIds.size,
    invalid,
    errors,
    shed,
    latencyP50: percentile(okLat, 50),
    latencyP99: percentile(okLat, 99),
    peakAcceptedPerSec: Math.max(0, ...accepted),
    lagP50: percentile(lags, 50),
    lagP99: percentile(lags, 99),
    dbTxPerSec: spanMs > 0 ? (dbTransactions * 1000) / spanMs : dbTransactions,
    dbTransactions,
    oversold: a.oversold,
    drift: a.drift,
    applied: a.applied,
    rejected: a.rejected,
    dlq: pier ? (raw.dlq ?? 0) : null,
    redriven: pier ? (raw.redriven ?? 0) : null,
    poisonAccepted: [...acceptedIds].filter((id) => opts.poisonIds.has(id)).length,
    missing,
    unexpected,
    settledExactlyOnce: missing === 0 && a.drift === 0 && a.applied + a.rejected === acceptedIds.size + unexpected,
    fanout: pier ? { ...loyaltyCounts(raw.loyaltyDb), smsExpected } : null,
    alerts: raw.alerts,
    metricsUrl: raw.metricsUrl,
    events: raw.events,
    warnings: raw.warnings,
    durationMs: load.durationMs,
    series: {
      offered,
      accepted,
      depth: raw.depth,
      dlq: raw.dlqDepth,
      lagP50: perSecond(lagPairs, lagSeconds, (v) => percentile(v, 50), NaN),
      lagP99: perSecond(lagPairs, lagSeconds, (v) => percentile(v, 99), NaN),
    },
  };
}
