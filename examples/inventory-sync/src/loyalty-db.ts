// The points and SMS services' own database (separate from inventory, as separate services would
// have): a points ledger and an SMS outbox, each idempotent by order id.
import Database from 'better-sqlite3';

export function openLoyaltyDb(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 15000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS points (order_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, points INTEGER NOT NULL, at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS sms (order_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL);`);
  return db;
}

/** What the "order accepted" topic carries. */
export interface AcceptedEvent {
  orderId: string;
  sku: string;
  qty: number;
  userId: string;
  /** Cents. */
  amount: number;
}

export function loyaltyCounts(file: string): { points: number; sms: number } {
  const db = openLoyaltyDb(file);
  try {
    const count = (t: string) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
    return { points: count('points'), sms: count('sms') };
  } finally {
    db.close();
  }
}
