// Points consumer: one point per whole currency unit of each accepted order, credited once per
// order (the ledger's key is the order id, so a redelivered event changes nothing).
// Environment: LOYALTY_DB. Raw delivery: each body is the published event.
import type Database from 'better-sqlite3';
import { openLoyaltyDb, type AcceptedEvent } from '../src/loyalty-db.js';
import type { SqsEvent } from './inventory.js';

let db: Database.Database | undefined;

export const handler = async (event: SqsEvent): Promise<void> => {
  db ??= openLoyaltyDb(process.env.LOYALTY_DB ?? 'loyalty.db');
  const credit = db.prepare('INSERT OR IGNORE INTO points (order_id, user_id, points, at) VALUES (?, ?, ?, ?)');
  const now = Date.now();
  db.transaction(() => {
    for (const r of event.Records) {
      const e = JSON.parse(r.body) as AcceptedEvent;
      credit.run(e.orderId, e.userId, Math.floor(e.amount / 100), now);
    }
  })();
};
