// The embedded default engine. Every write goes through group commit (one transaction and one
// fsync per event-loop turn, one savepoint per call); reads run directly on committed data.
// WAL with synchronous=FULL: a resolved write is on disk. Checkpoints run in a worker thread.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
import { queueMissing } from '../../core/errors.js';
import type { MessageRef, NewMessage, QueueCounts, QueueKey, QueuePatch, QueueRecord, StoredMessage } from '../../core/model.js';
import type { DeleteOutcome, ReceiveRequest, Store, VisibilityChange, VisibilityOutcome } from '../../core/store.js';
import { Checkpointer } from './checkpointer.js';
import { GroupCommit } from './group-commit.js';
import { messageParams, queueParams, toQueueRecord, toStoredMessage, type MessageRow, type QueueRow } from './rows.js';
import { migrate, namedStatements } from './sql-files.js';

export interface SqliteStoreOptions {
  /** How often the worker runs a PASSIVE checkpoint. */
  checkpointIntervalMs?: number;
  /** WAL size above which the worker follows up with a TRUNCATE checkpoint. */
  truncateWalAboveBytes?: number;
}

export async function openSqliteStore(dir: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'pier.db');
  const db = new Database(file);
  try {
    if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') throw new Error(`${file}: WAL mode unavailable`);
    db.pragma('synchronous = FULL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const checkpointer = new Checkpointer({
    file,
    intervalMs: options.checkpointIntervalMs ?? 1000,
    truncateAboveBytes: options.truncateWalAboveBytes ?? 64 * 1024 * 1024,
  });
  return new SqliteStore(db, checkpointer);
}

type Statements = Record<string, Statement>;

function prepareFile(db: Database.Database, file: string): Statements {
  const out: Statements = {};
  for (const [name, sql] of Object.entries(namedStatements(file))) out[name] = db.prepare(sql);
  return out;
}

interface Candidate {
  seq: number;
  visible_at: number;
  sent_ms: number;
  receive_count: number;
}

export class SqliteStore implements Store {
  private readonly queues: Statements;
  private readonly messages: Statements;
  private readonly receive: Statements;
  private readonly writes: GroupCommit;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly checkpointer: Checkpointer,
  ) {
    this.queues = prepareFile(db, 'queues.sql');
    this.messages = prepareFile(db, 'messages.sql');
    this.receive = prepareFile(db, 'receive.sql');
    this.writes = new GroupCommit(db);
  }

  createQueue(queue: Omit<QueueRecord, 'id'>): Promise<{ queue: QueueRecord; created: boolean }> {
    return this.writes.run(() => {
      const existing = this.queues.byKey.get(keyParams(queue)) as QueueRow | undefined;
      if (existing) return { queue: toQueueRecord(existing), created: false };
      return { queue: toQueueRecord(this.queues.insert.get(queueParams(queue)) as QueueRow), created: true };
    });
  }

  async getQueue(key: QueueKey): Promise<QueueRecord | undefined> {
    const row = this.queues.byKey.get(keyParams(key)) as QueueRow | undefined;
    return row && toQueueRecord(row);
  }

  async getQueueById(id: number): Promise<QueueRecord | undefined> {
    const row = this.queues.byId.get(id) as QueueRow | undefined;
    return row && toQueueRecord(row);
  }

  async listQueues(accountId: string, region: string, prefix = ''): Promise<QueueRecord[]> {
    return (this.queues.list.all({ accountId, region, prefix }) as QueueRow[]).map(toQueueRecord);
  }

  async allQueues(): Promise<QueueRecord[]> {
    return (this.queues.all.all() as QueueRow[]).map(toQueueRecord);
  }

  updateQueue(id: number, patch: QueuePatch): Promise<void> {
    return this.writes.run(() => {
      this.queues.update.run({
        id,
        attributes: patch.attributes === undefined ? null : JSON.stringify(patch.attributes),
        tags: patch.tags === undefined ? null : JSON.stringify(patch.tags),
        lastModifiedMs: patch.lastModifiedMs ?? null,
        lastPurgeMs: patch.lastPurgeMs ?? null,
      });
    });
  }

  deleteQueue(id: number, nowMs: number): Promise<void> {
    return this.writes.run(() => {
      const row = this.queues.byId.get(id) as QueueRow | undefined;
      if (!row) return;
      this.messages.purge.run(id);
      this.queues.delete.run(id);
      this.queues.rememberDeleted.run({ accountId: row.account_id, region: row.region, name: row.name, deletedMs: nowMs });
    });
  }

  async lastDeletedMs(key: QueueKey): Promise<number | undefined> {
    const row = this.queues.lastDeleted.get(keyParams(key)) as { deleted_ms: number } | undefined;
    return row?.deleted_ms;
  }

  sendMessages(queueId: number, messages: NewMessage[]): Promise<void> {
    return this.writes.run(() => {
      if (!this.queues.exists.get(queueId)) throw queueMissing();
      for (const m of messages) this.messages.insert.run(messageParams(queueId, m));
    });
  }

  receiveMessages(queueId: number, request: ReceiveRequest): Promise<StoredMessage[]> {
    return this.writes.run(() => this.receiveNow(queueId, request));
  }

  deleteMessages(queueId: number, refs: MessageRef[]): Promise<DeleteOutcome[]> {
    return this.writes.run(() =>
      refs.map((ref): DeleteOutcome => {
        const where = { seq: ref.seq, queueId, receiveCount: ref.receiveCount };
        if (this.messages.deleteRef.run(where).changes > 0) return 'deleted';
        return this.messages.state.get({ seq: ref.seq, queueId }) ? 'stale' : 'gone';
      }),
    );
  }

  changeVisibility(queueId: number, changes: VisibilityChange[], nowMs: number, maxInvisibleMs: number): Promise<VisibilityOutcome[]> {
    return this.writes.run(() =>
      changes.map(({ ref, visibilityMs }): VisibilityOutcome => {
        const row = this.messages.state.get({ seq: ref.seq, queueId }) as Pick<MessageRow, 'receive_count' | 'received_at'> | undefined;
        if (!row || row.received_at === null || row.receive_count !== ref.receiveCount) return 'gone';
        if (nowMs + visibilityMs - row.received_at > maxInvisibleMs) return 'too-long';
        this.messages.setVisibleAt.run({ seq: ref.seq, visibleAt: nowMs + visibilityMs });
        return 'changed';
      }),
    );
  }

  purgeQueue(queueId: number): Promise<void> {
    return this.writes.run(() => {
      this.messages.purge.run(queueId);
    });
  }

  async counts(queueId: number, nowMs: number): Promise<QueueCounts> {
    return this.messages.counts.get({ queueId, nowMs }) as QueueCounts;
  }

  async nextVisibleAtMs(queueId: number): Promise<number | undefined> {
    const row = this.messages.nextVisibleAt.get(queueId) as { at: number } | undefined;
    return row?.at;
  }

  expireMessages(queueId: number, sentBeforeMs: number): Promise<number> {
    return this.writes.run(() => this.messages.expire.run({ queueId, sentBeforeMs }).changes);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.writes.close();
      await this.checkpointer.stop();
      this.db.close();
    })();
    return this.closing;
  }

  /** Runs inside the group-commit savepoint, so the scan, moves and bumps commit together. */
  private receiveNow(queueId: number, request: ReceiveRequest): StoredMessage[] {
    const { nowMs, redrive } = request;
    const dlq = redrive && redrive.dlqId !== queueId && this.queues.exists.get(redrive.dlqId) ? redrive : undefined;
    const taken: number[] = [];
    // Walk the index with a (visible_at, seq) cursor. Rows only disappear from this queue during
    // the walk (expired or moved); the bumps are applied afterwards, so the order stays stable.
    let after = { afterVisibleAt: Number.MIN_SAFE_INTEGER, afterSeq: 0 };
    // Read exactly max first; grow the batch so a long run of expired or moved rows costs few queries.
    for (let batch = request.max; taken.length < request.max; batch = Math.min(batch * 2, 1024)) {
      const limit = Math.max(request.max - taken.length, batch);
      const rows = this.receive.candidates.all({ queueId, nowMs, limit, ...after }) as Candidate[];
      for (const row of rows) {
        if (taken.length === request.max) break;
        after = { afterVisibleAt: row.visible_at, afterSeq: row.seq };
        if (row.sent_ms + request.retentionMs <= nowMs) {
          this.messages.deleteSeq.run(row.seq);
        } else if (dlq && row.receive_count >= dlq.maxReceiveCount) {
          this.receive.moveToQueue.run({ seq: row.seq, dlqId: dlq.dlqId, nowMs, sourceArn: dlq.sourceArn });
          this.messages.deleteSeq.run(row.seq);
        } else {
          taken.push(row.seq);
        }
      }
      if (rows.length < limit) break;
    }
    const visibleAt = nowMs + request.visibilityMs;
    return taken.map((seq) => toStoredMessage(this.receive.markReceived.get({ seq, nowMs, visibleAt }) as MessageRow));
  }
}

const keyParams = (k: QueueKey) => ({ accountId: k.accountId, region: k.region, name: k.name });
