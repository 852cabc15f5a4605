// A small connection pool, as the original order service had (think `pg.Pool({ max: 4 })`): each
// query borrows one of `size` connections, waiting at most `acquireTimeoutMs` for one. Every
// statement autocommits on its own — there is no transaction across the queries of one order.
import { Worker } from 'node:worker_threads';
import type { QueryMsg, ReplyMsg } from './db-worker.js';

export class PoolTimeoutError extends Error {}

interface Conn {
  worker: Worker;
  pending?: { resolve: (r: ReplyMsg) => void };
}

export class DbPool {
  private readonly idle: Conn[] = [];
  private readonly all: Conn[] = [];
  private readonly waiters: { take: (c: Conn) => void; timer: NodeJS.Timeout }[] = [];
  private nextId = 0;
  /** Statements that wrote (each one its own transaction). */
  writes = 0;
  queries = 0;
  acquireTimeouts = 0;

  constructor(file: string, size = 4, private readonly acquireTimeoutMs = 2000) {
    for (let i = 0; i < size; i++) {
      const conn: Conn = { worker: new Worker(new URL('./db-worker.js', import.meta.url), { workerData: { file } }) };
      conn.worker.on('message', (r: ReplyMsg) => conn.pending?.resolve(r));
      this.all.push(conn);
      this.idle.push(conn);
    }
  }

  /** Requests waiting for a free connection. */
  get waiting(): number {
    return this.waiters.length;
  }

  private acquire(): Promise<Conn> {
    const c = this.idle.pop();
    if (c) return Promise.resolve(c);
    return new Promise((resolve, reject) => {
      const waiter = {
        take: resolve,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          this.acquireTimeouts++;
          reject(new PoolTimeoutError(`no database connection free within ${this.acquireTimeoutMs} ms`));
        }, this.acquireTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private release(c: Conn): void {
    const w = this.waiters.shift();
    if (!w) return void this.idle.push(c);
    clearTimeout(w.timer);
    w.take(c);
  }

  async query<T = unknown>(sql: string, params: unknown[] = []): Promise<{ rows: T[]; changes: number }> {
    const conn = await this.acquire();
    this.queries++;
    try {
      const msg: QueryMsg = { id: this.nextId++, sql, params };
      const reply = await new Promise<ReplyMsg>((resolve) => {
        conn.pending = { resolve };
        conn.worker.postMessage(msg);
      });
      if (reply.error) throw new Error(reply.error);
      if (!reply.rows) this.writes++;
      return { rows: (reply.rows ?? []) as T[], changes: reply.changes ?? 0 };
    } finally {
      conn.pending = undefined;
      this.release(conn);
    }
  }

  async close(): Promise<void> {
    for (const w of this.waiters.splice(0)) clearTimeout(w.timer);
    await Promise.all(this.all.map((c) => c.worker.terminate()));
  }
}
