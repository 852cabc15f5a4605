// Group commit: write operations that arrive in the same turn of the event loop run in ONE
// transaction at a setImmediate flush. Each op runs in its own savepoint, so a failing op rolls
// back and rejects alone. Durability: SQLite commits with synchronous=NORMAL (WAL frames written,
// not synced) and the batch's promises settle only after an fdatasync of the WAL file, which runs
// in libuv's thread pool, so the event loop keeps parsing and batching while the disk syncs.
import { fdatasync, openSync, closeSync } from 'node:fs';
import type { Database } from 'better-sqlite3';

const BUSY_RETRIES = 20;
const isBusy = (error: unknown) => String((error as { code?: unknown })?.code ?? '').startsWith('SQLITE_BUSY');

interface Op {
  /** Flushes this op was part of that SQLite refused as busy. */
  tries?: number;
  fn: () => unknown;
  durable: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private pending: Op[] = [];
  private timer: NodeJS.Immediate | undefined;
  private closed = false;
  private walFd: number | undefined;
  /** Syncs in flight; close() waits for them. */
  private syncing = new Set<Promise<void>>();

  /** One reusable wrapper: called inside the batch transaction, better-sqlite3 runs it as a savepoint. */
  private readonly savepoint: (fn: () => unknown) => unknown;

  /** `walFile`: the -wal file to fdatasync after each commit (omit when SQLite syncs itself). */
  constructor(
    private readonly db: Database,
    private readonly walFile?: string,
  ) {
    this.savepoint = db.transaction((fn: () => unknown) => fn());
  }

  /**
   * Runs `fn` in the next batch. With `durable` false the promise settles at COMMIT without
   * waiting for the disk: for state SQS lets a crash reset (a receive's visibility timeout).
   */
  run<T>(fn: () => T, durable = true): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, durable, resolve: resolve as (value: unknown) => void, reject });
      this.timer ??= setImmediate(() => this.flush());
    });
  }

  /** Commits whatever is pending now and waits until it is on disk; later run() calls are refused. */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    await Promise.all(this.syncing);
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.walFd = undefined;
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
              outcomes.push({ ok: true, value: this.savepoint(op.fn) });
            } catch (error) {
              // SQLite rolled back the whole transaction (disk full, I/O error): fail the batch.
              if (!this.db.inTransaction) throw error;
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // BEGIN or COMMIT failed: nothing of this batch is durable. A lock held past busy_timeout
      // (the checkpoint worker truncating the WAL) is worth a few more tries before giving up.
      if (isBusy(error) && !this.closed && (batch[0]!.tries ?? 0) < BUSY_RETRIES) {
        for (const op of batch) op.tries = (op.tries ?? 0) + 1;
        this.pending = [...batch, ...this.pending];
        this.timer ??= setImmediate(() => this.flush());
        return;
      }
      for (const op of batch) op.reject(error);
      return;
    }
    const settle = (durable: boolean) =>
      batch.forEach((op, i) => {
        if (op.durable !== durable) return;
        const outcome = outcomes[i]!;
        if (outcome.ok) op.resolve(outcome.value);
        else op.reject(outcome.error);
      });
    settle(false);
    if (this.walFile === undefined) return settle(true);
    if (!batch.some((op) => op.durable)) return;
    // The WAL exists once a transaction has committed; the fd stays valid for the connection's life.
    this.walFd ??= openSync(this.walFile, 'r');
    const synced = new Promise<void>((done) =>
      fdatasync(this.walFd!, (error) => {
        this.syncing.delete(synced);
        // Committed but maybe not on disk: refuse the acknowledgement; the client will retry.
        if (error) {
          for (const op of batch) if (op.durable) op.reject(error);
        } else settle(true);
        done();
      }),
    );
    this.syncing.add(synced);
  }
}
