// SMS consumer: the SMS queue's subscription filter lets only orders above the threshold through;
// this "sends" a confirmation by writing it to an outbox, once per order.
// Environment: LOYALTY_DB. Raw delivery: each body is the published event.
import type Database from 'better-sqlite3';
import { openLoyaltyDb, type AcceptedEvent } from '../src/loyalty-db.js';
import type { SqsEvent } from './inventory.js';

let db: Database.Database | undefined;

export const handler = async (event: SqsEvent): Promise<void> => {
  db ??= openLoyaltyDb(process.env.LOYALTY_DB ?? 'loyalty.db');
  const queue = db.prepare('INSERT OR IGNORE INTO sms (order_id, user_id, text, at) VALUES (?, ?, ?, ?)');
  const now = Date.now();
  db.transaction(() => {
    for (const r of event.Records) {
      const e = JSON.parse(r.body) as AcceptedEvent;
      queue.run(e.orderId, e.userId, `Thanks! Order ${e.orderId}: ${e.qty} x ${e.sku}, ${(e.amount / 100).toFixed(2)} EUR`, now);
    }
  })();
};
