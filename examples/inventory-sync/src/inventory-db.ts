// The inventory database (SQLite through better-sqlite3; PostgreSQL, when given a URL, is in
// inventory-pg.ts behind the same interface): stock per SKU and one row per settled
// order. `applyOrders` is the correct write path the Pier consumer uses — one IMMEDIATE
// transaction per batch, stock never below zero, idempotent by order id. `audit` measures what
// either architecture left behind: oversold units and stock that drifted from the orders.
import Database from 'better-sqlite3';
import type { OrderMessage, Sku } from './catalog.js';

export type Db = Database.Database;

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS stock (
  sku TEXT PRIMARY KEY, qty INTEGER NOT NULL CHECK (qty >= 0), initial INTEGER NOT NULL, price INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
  order_id TEXT PRIMARY KEY, sku TEXT NOT NULL, qty INTEGER NOT NULL, user_id TEXT NOT NULL,
  amount INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')), promo TEXT,
  accepted_at INTEGER NOT NULL, applied_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tx_log (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, orders INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;

/** Opens (creating if needed) with WAL, fsync on commit, and a wait for the write lock. */
export function openDb(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 15000');
  db.exec(SCHEMA);
  return db;
}

/** A fresh shop: the catalogue's stock, no orders, the v1 promo parser. */
export function seedDb(db: Db, catalog: Sku[]): void {
  db.transaction(() => {
    db.exec('DELETE FROM stock; DELETE FROM orders; DELETE FROM tx_log; DELETE FROM settings;');
    const ins = db.prepare('INSERT INTO stock (sku, qty, initial, price) VALUES (?, ?, ?, ?)');
    for (const s of catalog) ins.run(s.sku, s.stock, s.stock, s.price);
    db.prepare("INSERT INTO settings (key, value) VALUES ('promo_parser', 'v1')").run();
  })();
}

export const loadCatalog = (db: Db): Sku[] => db.prepare('SELECT sku, qty AS stock, price FROM stock ORDER BY sku').all() as Sku[];

export type Outcome = 'applied' | 'rejected' | 'duplicate';

export interface Applied {
  orderId: string;
  outcome: Outcome;
  /** The order's settled status (for a duplicate: as first settled). */
  status: 'applied' | 'rejected';
}

/** The consumer's side of the database, with its statements prepared once per process. */
export class Inventory {
  private readonly seen;
  private readonly stockOf;
  private readonly take;
  private readonly insert;
  private readonly logTx;
  private readonly setting;
  private readonly tx;

  constructor(readonly db: Db) {
    this.seen = db.prepare('SELECT status FROM orders WHERE order_id = ?').pluck();
    this.stockOf = db.prepare('SELECT qty FROM stock WHERE sku = ?').pluck();
    this.take = db.prepare('UPDATE stock SET qty = qty - ? WHERE sku = ? AND qty >= ?');
    this.insert = db.prepare('INSERT INTO orders (order_id, sku, qty, user_id, amount, status, promo, accepted_at, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.logTx = db.prepare('INSERT INTO tx_log (at, orders) VALUES (?, ?)');
    this.setting = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
    this.tx = db.transaction((orders: OrderMessage[], now: number) => {
      const out = orders.map((o) => this.applyOne(o, now));
      this.logTx.run(now, orders.length);
      return out;
    });
  }

  private applyOne(o: OrderMessage, now: number): Applied {
    const before = this.seen.get(o.orderId) as Applied['status'] | undefined;
    if (before) return { orderId: o.orderId, outcome: 'duplicate', status: before };
    const left = this.stockOf.get(o.sku) as number | undefined;
    // The guard in WHERE makes the decrement safe even if this code ran outside a transaction.
    const ok = left !== undefined && left >= o.qty && this.take.run(o.qty, o.sku, o.qty).changes === 1;
    const outcome = ok ? 'applied' : 'rejected';
    this.insert.run(o.orderId, o.sku, o.qty, o.userId, o.amount, outcome, o.promo ?? null, o.acceptedAt, now);
    return { orderId: o.orderId, outcome, status: outcome };
  }

  /** Applies a batch in one write transaction (BEGIN IMMEDIATE: the lock is taken before reading). */
  applyOrders(orders: OrderMessage[], now = Date.now()): Applied[] {
    if (orders.length === 0) return [];
    return this.tx.immediate(orders, now);
  }

  promoParser(): 'v1' | 'v2' {
    return this.setting.get('promo_parser') === 'v2' ? 'v2' : 'v1';
  }
}

/** "Deploys the fix": the consumer reads legacy promo codes from now on. */
export const deployPromoFix = (db: Db) => db.prepare("UPDATE settings SET value = 'v2' WHERE key = 'promo_parser'").run();

export interface SkuAudit {
  sku: string;
  initial: number;
  left: number;
  sold: number;
  oversold: number;
}

export interface Audit {
  skus: SkuAudit[];
  /** Units sold beyond the initial stock, summed over SKUs. */
  oversold: number;
  /** Units by which the stock column disagrees with initial − sold (lost updates). */
  drift: number;
  applied: number;
  rejected: number;
  transactions: number;
  /** First and last write (epoch ms). */
  firstAt: number;
  lastAt: number;
}

/** The audit's queries (plain SQL that SQLite and PostgreSQL both read; `left` is quoted, a keyword in PostgreSQL). */
export const AUDIT_SQL = {
  skus: `SELECT s.sku, s.initial, s.qty AS "left", COALESCE(SUM(o.qty), 0) AS sold FROM stock s
    LEFT JOIN orders o ON o.sku = s.sku AND o.status = 'applied' GROUP BY s.sku ORDER BY s.sku`,
  count: 'SELECT COUNT(*) AS n FROM orders WHERE status = ?',
  span: 'SELECT MIN(applied_at) AS "firstAt", MAX(applied_at) AS "lastAt" FROM orders',
  transactions: 'SELECT COUNT(*) AS n FROM tx_log',
};

/** Builds the audit from the rows of AUDIT_SQL's queries. */
export function auditFrom(
  rows: Omit<SkuAudit, 'oversold'>[],
  applied: number,
  rejected: number,
  transactions: number,
  span: { firstAt: number | null; lastAt: number | null },
): Audit {
  const skus = rows.map((s) => ({ ...s, oversold: Math.max(0, s.sold - s.initial) }));
  return {
    skus,
    oversold: skus.reduce((a, s) => a + s.oversold, 0),
    drift: skus.reduce((a, s) => a + Math.abs(s.initial - s.sold - s.left), 0),
    applied,
    rejected,
    transactions,
    firstAt: span.firstAt ?? 0,
    lastAt: span.lastAt ?? 0,
  };
}

export function audit(db: Db): Audit {
  const n = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
  return auditFrom(
    db.prepare(AUDIT_SQL.skus).all() as Omit<SkuAudit, 'oversold'>[],
    n(AUDIT_SQL.count, 'applied'),
    n(AUDIT_SQL.count, 'rejected'),
    n(AUDIT_SQL.transactions),
    db.prepare(AUDIT_SQL.span).get() as { firstAt: number | null; lastAt: number | null },
  );
}
