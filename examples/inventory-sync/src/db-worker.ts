// One connection of the coupled order service's pool: a worker thread owning a SQLite connection,
// so queries on different connections really run at the same time, as on a database server.
import { parentPort, workerData } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import { openDb } from './inventory-db.js';

export interface QueryMsg {
  id: number;
  sql: string;
  params: unknown[];
}

export interface ReplyMsg {
  id: number;
  rows?: unknown[];
  changes?: number;
  error?: string;
}

const db = openDb((workerData as { file: string }).file);
const statements = new Map<string, Statement>();

parentPort!.on('message', (q: QueryMsg) => {
  let reply: ReplyMsg;
  try {
    let st = statements.get(q.sql);
    if (!st) statements.set(q.sql, (st = db.prepare(q.sql)));
    reply = st.reader ? { id: q.id, rows: st.all(...q.params) } : { id: q.id, changes: st.run(...q.params).changes };
  } catch (e) {
    reply = { id: q.id, error: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
