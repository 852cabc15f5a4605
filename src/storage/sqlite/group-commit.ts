// Group commit: write operations that arrive in the same turn of the event loop run in ONE
// transaction (one fsync) at a setImmediate flush. Each op runs in its own savepoint, so a failing
// op rolls back and rejects alone; promises settle only after COMMIT, i.e. once the data is durable.
import type { Database } from 'better-sqlite3';

interface Op {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private pending: Op[] = [];
  private timer: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(private readonly db: Database) {}

  run<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      this.timer ??= setImmediate(() => this.flush());
    });
  }

  /** Commits whatever is pending now; later run() calls are refused. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  flush(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes: Outcome[] = [];
    try {
      this.db
        .transaction(() => {
          for (const op of batch) {
            try {
              outcomes.push({ ok: true, value: this.db.transaction(op.fn)() });
            } catch (error) {
              // SQLite rolled back the whole transaction (disk full, I/O error): fail the batch.
              if (!this.db.inTransaction) throw error;
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // BEGIN or COMMIT failed: nothing of this batch is durable.
      for (const op of batch) op.reject(error);
      return;
    }
    batch.forEach((op, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) op.resolve(outcome.value);
      else op.reject(outcome.error);
    });
  }
}
