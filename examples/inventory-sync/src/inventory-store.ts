// The inventory database behind one asynchronous interface: a SQLite file (inventory-db.ts) or,
// when the target is a `postgres://` URL, PostgreSQL through `pg`. The driver, the order service
// and the inventory function take either; the loyalty database stays SQLite.
//   - Store: the driver's and the audit's side (seed, count, audit, deploy the fix).
//   - openInventory: the consumer's write path — one transaction per batch, stock never below
//     zero, idempotent by order id.
//   - PgPool: the coupled mode's small pool (`pg.Pool({ max: 4 })`), every statement autocommitted.
import pg from 'pg';
import type { OrderMessage, Sku } from './catalog.js';
import { PoolTimeoutError } from './db-pool.js';
import { AUDIT_SQL, auditFrom, Inventory, openDb, seedDb, type Applied, type Audit, type SkuAudit } from './inventory-db.js';

export const isPostgresUrl = (target: string): boolean => /^postgres(ql)?:\/\//i.test(target);

/** The same tables as SCHEMA, with epoch milliseconds as BIGINT. */
export const PG_SCHEMA = `
CREATE TABLE IF NOT EXISTS stock (
  sku TEXT PRIMARY KEY, qty INTEGER NOT NULL CHECK (qty >= 0), initial INTEGER NOT NULL, price INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
  order_id TEXT PRIMARY KEY, sku TEXT NOT NULL, qty INTEGER NOT NULL, user_id TEXT NOT NULL,
  amount INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')), promo TEXT,
  accepted_at BIGINT NOT NULL, applied_at BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS tx_log (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, orders INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;

// COUNT, SUM and BIGINT columns come back as JS numbers (all values here are far below 2^53).
const INT8 = 20;
const NUMERIC = 1700;
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 || oid === NUMERIC ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** `?` placeholders (SQLite) → `$1, $2, …` (PostgreSQL). The statements here have no `?` in literals. */
export const toPgParams = (sql: string): string => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

const pgClient = async (url: string): Promise<pg.Client> => {
  const client = new pg.Client({ connectionString: url, types });
  client.on('error', () => undefined); // the server went away: the next query fails and says so
  await client.connect();
  return client;
};

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Opens the inventory database (creating the tables if needed). `?` placeholders in either case. */
export async function openStore(target: string): Promise<Store> {
  if (!isPostgresUrl(target)) {
    const db = openDb(target);
    return {
      kind: 'sqlite',
      all: async <T>(sql: string, params: unknown[] = []) => {
        const st = db.prepare(sql);
        return (st.reader ? st.all(...params) : (st.run(...params), [])) as T[];
      },
      close: async () => void db.close(),
    };
  }
  const client = await pgClient(target);
  await client.query(PG_SCHEMA);
  return {
    kind: 'postgres',
    all: async <T>(sql: string, params: unknown[] = []) => (await client.query(toPgParams(sql), params)).rows as T[],
    close: () => client.end(),
  };
}

/** The first column of the first row. */
export async function value<T = number>(store: Store, sql: string, params: unknown[] = []): Promise<T> {
  const row = (await store.all<Record<string, unknown>>(sql, params))[0];
  return (row ? Object.values(row)[0] : undefined) as T;
}

/** A fresh shop: the catalogue's stock, no orders, the v1 promo parser (as seedDb). */
export async function seedStore(store: Store, target: string, catalog: Sku[]): Promise<void> {
  if (store.kind === 'sqlite') {
    const db = openDb(target);
    seedDb(db, catalog);
    db.close();
    return;
  }
  await store.all('BEGIN');
  try {
    await store.all('TRUNCATE stock, orders, tx_log, settings RESTART IDENTITY');
    for (const s of catalog) await store.all('INSERT INTO stock (sku, qty, initial, price) VALUES (?, ?, ?, ?)', [s.sku, s.stock, s.stock, s.price]);
    await store.all("INSERT INTO settings (key, value) VALUES ('promo_parser', 'v1')");
    await store.all('COMMIT');
  } catch (e) {
    await store.all('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

export const loadCatalogFrom = (store: Store): Promise<Sku[]> => store.all<Sku>('SELECT sku, qty AS stock, price FROM stock ORDER BY sku');

/** "Deploys the fix": the consumer reads legacy promo codes from now on. */
export const deployPromoFixIn = async (store: Store): Promise<void> => void (await store.all("UPDATE settings SET value = 'v2' WHERE key = 'promo_parser'"));

export async function auditStore(store: Store): Promise<Audit> {
  return auditFrom(
    await store.all<Omit<SkuAudit, 'oversold'>>(AUDIT_SQL.skus),
    await value(store, AUDIT_SQL.count, ['applied']),
    await value(store, AUDIT_SQL.count, ['rejected']),
    await value(store, AUDIT_SQL.transactions),
    (await store.all<{ firstAt: number | null; lastAt: number | null }>(AUDIT_SQL.span))[0],
  );
}

/** The consumer's side, for either database. */
export interface InventoryWriter {
  applyOrders(orders: OrderMessage[], now?: number): Applied[] | Promise<Applied[]>;
  promoParser(): 'v1' | 'v2' | Promise<'v1' | 'v2'>;
}

export async function openInventory(target: string): Promise<InventoryWriter> {
  return isPostgresUrl(target) ? new PgInventory(await pgClient(target)) : new Inventory(openDb(target));
}

/**
 * The consumer on PostgreSQL: one transaction per batch. It first locks the batch's SKU rows
 * (`SELECT … FOR UPDATE`, in SKU order so two lanes can never deadlock); with the row of its SKU
 * locked, an order already in `orders` is a duplicate (a redelivery of the same order id cannot
 * be applied twice, even by another lane), and the decrement is guarded (`qty >= $1`, plus the
 * CHECK), so stock never goes below zero.
 */
export class PgInventory implements InventoryWriter {
  constructor(private readonly client: pg.Client) {}

  async applyOrders(orders: OrderMessage[], now = Date.now()): Promise<Applied[]> {
    if (orders.length === 0) return [];
    const c = this.client;
    await c.query('BEGIN');
    try {
      await c.query('SELECT sku FROM stock WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE', [[...new Set(orders.map((o) => o.sku))]]);
      const out: Applied[] = [];
      for (const o of orders) {
        const before = (await c.query<{ status: Applied['status'] }>('SELECT status FROM orders WHERE order_id = $1', [o.orderId])).rows[0];
        if (before) {
          out.push({ orderId: o.orderId, outcome: 'duplicate', status: before.status });
          continue;
        }
        const ok = (await c.query('UPDATE stock SET qty = qty - $1 WHERE sku = $2 AND qty >= $1', [o.qty, o.sku])).rowCount === 1;
        const outcome = ok ? 'applied' : 'rejected';
        await c.query('INSERT INTO orders (order_id, sku, qty, user_id, amount, status, promo, accepted_at, applied_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
          o.orderId, o.sku, o.qty, o.userId, o.amount, outcome, o.promo ?? null, o.acceptedAt, now,
        ]);
        out.push({ orderId: o.orderId, outcome, status: outcome });
      }
      await c.query('INSERT INTO tx_log (at, orders) VALUES ($1, $2)', [now, orders.length]);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  async promoParser(): Promise<'v1' | 'v2'> {
    const r = await this.client.query<{ value: string }>("SELECT value FROM settings WHERE key = 'promo_parser'");
    return r.rows[0]?.value === 'v2' ? 'v2' : 'v1';
  }
}

/** The coupled service's pool on PostgreSQL, with DbPool's interface: no transaction across queries. */
export class PgPool {
  private readonly pool: pg.Pool;
  writes = 0;
  queries = 0;
  acquireTimeouts = 0;

  constructor(url: string, size = 4, private readonly acquireTimeoutMs = 2000) {
    this.pool = new pg.Pool({ connectionString: url, max: size, connectionTimeoutMillis: acquireTimeoutMs, types });
    this.pool.on('error', () => undefined); // an idle connection dropped: the pool replaces it
  }

  get waiting(): number {
    return this.pool.waitingCount;
  }

  async query<T = unknown>(sql: string, params: unknown[] = []): Promise<{ rows: T[]; changes: number }> {
    let conn: pg.PoolClient;
    try {
      conn = await this.pool.connect();
    } catch (e) {
      if (!/timeout/i.test((e as Error).message)) throw e;
      this.acquireTimeouts++;
      throw new PoolTimeoutError(`no database connection free within ${this.acquireTimeoutMs} ms`);
    }
    this.queries++;
    try {
      const r = await conn.query(toPgParams(sql), params);
      if (r.command !== 'SELECT') this.writes++;
      return { rows: r.rows as T[], changes: r.rowCount ?? 0 };
    } finally {
      conn.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
