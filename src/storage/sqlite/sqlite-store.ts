// The embedded default engine. Every write goes through group commit (one transaction and one
// fsync per event-loop turn, one savepoint per call); reads run directly on committed data.
// WAL with synchronous=FULL: a resolved write is on disk. Checkpoints run in a worker thread.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
import { queueMissing } from '../../core/errors.js';
import type { MessageRef, MoveTaskRecord, NewMessage, QueueCounts, QueueKey, QueuePatch, QueueRecord, SendOutcome, StoredMessage } from '../../core/model.js';
import { sequenceNumberOf } from '../../core/rules/fifo.js';
import type { DeleteOutcome, Move, ReceiveRequest, Store, VisibilityChange, VisibilityOutcome } from '../../core/store.js';
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
    // NORMAL: commits write the WAL without syncing; GroupCommit fdatasyncs the WAL off the event
    // loop before acknowledging, so an acknowledged write is still on disk.
    db.pragma('synchronous = NORMAL');
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
  return new SqliteStore(db, checkpointer, `${file}-wal`);
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
  private readonly fifo: Statements;
  /**
   * Queue records by key: every request resolves its queue, and rows rarely change. This process is
   * the only writer (one Pier per data dir); updates and deletes clear it. Records are never mutated.
   */
  private readonly queueCache = new Map<string, QueueRecord>();
  private readonly writes: GroupCommit;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly checkpointer: Checkpointer,
    walFile: string,
  ) {
    this.queues = prepareFile(db, 'queues.sql');
    this.messages = prepareFile(db, 'messages.sql');
    this.receive = prepareFile(db, 'receive.sql');
    this.fifo = prepareFile(db, 'fifo.sql');
    this.writes = new GroupCommit(db, walFile);
  }

  createQueue(queue: Omit<QueueRecord, 'id'>): Promise<{ queue: QueueRecord; created: boolean }> {
    return this.writes.run(() => {
      const existing = this.queues.byKey.get(keyParams(queue)) as QueueRow | undefined;
      if (existing) return { queue: toQueueRecord(existing), created: false };
      return { queue: toQueueRecord(this.queues.insert.get(queueParams(queue)) as QueueRow), created: true };
    });
  }

  async getQueue(key: QueueKey): Promise<QueueRecord | undefined> {
    const cacheKey = `${key.accountId}\u0000${key.region}\u0000${key.name}`;
    const cached = this.queueCache.get(cacheKey);
    if (cached) return cached;
    const row = this.queues.byKey.get(keyParams(key)) as QueueRow | undefined;
    const queue = row && toQueueRecord(row);
    if (queue) this.queueCache.set(cacheKey, queue);
    return queue;
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
      this.queueCache.clear();
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
      this.queueCache.clear();
      this.messages.purge.run(id);
      this.fifo.purgeGroups.run(id);
      this.fifo.dropDedup.run(id);
      this.queues.delete.run(id);
      this.queues.rememberDeleted.run({ accountId: row.account_id, region: row.region, name: row.name, deletedMs: nowMs });
    });
  }

  async lastDeletedMs(key: QueueKey): Promise<number | undefined> {
    const row = this.queues.lastDeleted.get(keyParams(key)) as { deleted_ms: number } | undefined;
    return row?.deleted_ms;
  }

  sendMessages(queueId: number, messages: NewMessage[]): Promise<SendOutcome[]> {
    return this.writes.run(() => {
      const fifo = this.isFifo(queueId);
      return messages.map((m): SendOutcome => {
        const dedup = m.dedupScope === undefined ? undefined : { queueId, scope: m.dedupScope, dedupId: m.dedupId ?? '' };
        const seen = dedup && (this.fifo.dedupFind.get({ ...dedup, sentMs: m.sentMs }) as { message_id: string; sequence_number: string | null } | undefined);
        if (seen) return { messageId: seen.message_id, sequenceNumber: seen.sequence_number ?? undefined, duplicate: true };
        const sequenceNumber = this.insertMessage(queueId, fifo, m, true);
        if (dedup) this.fifo.dedupPut.run({ ...dedup, messageId: m.messageId, sequenceNumber: sequenceNumber ?? null, untilMs: m.dedupUntilMs ?? m.sentMs });
        return { messageId: m.messageId, sequenceNumber, duplicate: false };
      });
    });
  }

  receiveMessages(queueId: number, request: ReceiveRequest): Promise<StoredMessage[]> {
    // A crash may reset visibility (SQS allows it), so a receive need not wait for the disk.
    return this.writes.run(() => this.receiveNow(queueId, request), false);
  }

  deleteMessages(queueId: number, refs: MessageRef[], expiredAtMs?: number): Promise<DeleteOutcome[]> {
    return this.writes.run(() =>
      refs.map((ref): DeleteOutcome => {
        const row = this.fifo.rowBySeq.get(ref.seq, queueId) as MessageRow | undefined;
        if (!row) return 'gone';
        if (row.receive_count !== ref.receiveCount) return 'stale';
        if (expiredAtMs !== undefined && row.visible_at <= expiredAtMs) return 'expired';
        this.messages.deleteSeq.run(ref.seq);
        this.refreshGroup(queueId, row.group_id);
        return 'deleted';
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
        this.refreshGroup(queueId, (this.fifo.groupOf.get(ref.seq) as { group_id: string | null }).group_id);
        return 'changed';
      }),
    );
  }

  purgeQueue(queueId: number): Promise<void> {
    return this.writes.run(() => {
      this.messages.purge.run(queueId);
      this.fifo.purgeGroups.run(queueId);
      this.fifo.dropDedup.run(queueId); // AWS-rec test_purge_queue_clears_fifo_deduplication_cache
    });
  }

  async peekMessages(queueId: number, nowMs: number, max: number): Promise<StoredMessage[]> {
    if (this.isFifo(queueId)) return this.fifoCandidates(queueId, nowMs, max).map(toStoredMessage);
    const rows = this.receive.candidates.all({ queueId, nowMs, limit: max, afterVisibleAt: Number.MIN_SAFE_INTEGER, afterSeq: 0 }) as Candidate[];
    return rows.map((r) => toStoredMessage(this.fifo.rowBySeq.get(r.seq, queueId) as MessageRow));
  }

  moveMessages(sourceId: number, moves: Move[], task?: MoveTaskRecord): Promise<number> {
    return this.writes.run(() => {
      let moved = 0;
      for (const move of moves) {
        const fifo = this.isFifo(move.toQueueId); // throws QueueDoesNotExist: the savepoint undoes the batch
        const row = this.fifo.rowBySeq.get(move.seq, sourceId) as MessageRow | undefined;
        if (!row) continue;
        this.messages.deleteSeq.run(move.seq);
        this.refreshGroup(sourceId, row.group_id);
        this.insertMessage(move.toQueueId, fifo, move.message, true);
        moved++;
      }
      if (task) this.saveTaskNow({ ...task, moved: task.moved + moved });
      return moved;
    });
  }

  saveMoveTask(task: MoveTaskRecord): Promise<void> {
    return this.writes.run(() => this.saveTaskNow(task));
  }

  private saveTaskNow(task: MoveTaskRecord): void {
    this.fifo.saveTask.run({ taskId: task.taskId, sourceArn: task.sourceArn, startedMs: task.startedMs, body: JSON.stringify(task) });
  }

  async listMoveTasks(sourceArn?: string): Promise<MoveTaskRecord[]> {
    return (this.fifo.listTasks.all({ sourceArn: sourceArn ?? null }) as { body: string }[]).map((r) => JSON.parse(r.body) as MoveTaskRecord);
  }

  async counts(queueId: number, nowMs: number): Promise<QueueCounts> {
    return this.messages.counts.get({ queueId, nowMs }) as QueueCounts;
  }

  async nextVisibleAtMs(queueId: number): Promise<number | undefined> {
    const row = this.messages.nextVisibleAt.get(queueId) as { at: number } | undefined;
    return row?.at;
  }

  expireMessages(queueId: number, sentBeforeMs: number, nowMs: number): Promise<number> {
    return this.writes.run(() => {
      const expired = this.messages.expire.run({ queueId, sentBeforeMs }).changes;
      if (expired > 0 && this.isFifo(queueId)) {
        this.fifo.dropEmptyGroups.run({ queueId });
        this.fifo.refreshHeads.run({ queueId });
      }
      this.fifo.dedupExpire.run({ queueId, nowMs });
      return expired;
    });
  }

  /** The connection and group commit, shared by the SNS store so its writes join the same transactions. */
  shared(): { db: Database.Database; writes: GroupCommit } {
    return { db: this.db, writes: this.writes };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.writes.close();
      await this.checkpointer.stop();
      this.db.close();
    })();
    return this.closing;
  }

  private isFifo(queueId: number): boolean {
    const row = this.fifo.queueFifo.get(queueId) as { fifo: number } | undefined;
    if (!row) throw queueMissing();
    return row.fifo === 1;
  }

  /** Inserts one message; on a FIFO queue also assigns its sequence number and joins its group. */
  private insertMessage(queueId: number, fifo: boolean, m: NewMessage, fresh: boolean): string | undefined {
    const seq = Number(this.messages.insert.run(messageParams(queueId, m)).lastInsertRowid);
    if (!fifo) return m.sequenceNumber;
    const sequenceNumber = fresh || !m.sequenceNumber ? sequenceNumberOf(seq) : m.sequenceNumber;
    if (sequenceNumber !== m.sequenceNumber) this.fifo.setSequence.run({ seq, sequenceNumber });
    if (m.groupId !== undefined) this.fifo.groupUpsert.run({ queueId, groupId: m.groupId, seq });
    return sequenceNumber;
  }

  /** After rows of a FIFO group leave or change visibility: new head, lock from rows still in flight. */
  private refreshGroup(queueId: number, groupId: string | null): void {
    // Standard queues may carry a MessageGroupId (fair queues) but keep no group rows.
    if (groupId === null || (this.fifo.queueFifo.get(queueId) as { fifo: number } | undefined)?.fifo !== 1) return;
    this.fifo.dropEmptyGroup.run({ queueId, groupId });
    this.fifo.refreshGroup.run({ queueId, groupId });
  }

  /** Ready FIFO rows in receive order: oldest unlocked group first, each up to its first hidden row. */
  private fifoCandidates(queueId: number, nowMs: number, max: number): MessageRow[] {
    const out: MessageRow[] = [];
    let afterHead = 0;
    for (;;) {
      const groups = this.fifo.readyGroups.all({ queueId, nowMs, afterHead, limit: 64 }) as { group_id: string; head_seq: number }[];
      for (const g of groups) {
        afterHead = g.head_seq;
        let afterSeq = 0;
        for (let more = true; more && out.length < max; ) {
          const rows = this.fifo.groupRows.all({ queueId, groupId: g.group_id, afterSeq, limit: max }) as MessageRow[];
          more = rows.length === max;
          for (const row of rows) {
            if (row.visible_at > nowMs || out.length === max) {
              more = false;
              break;
            }
            out.push(row);
            afterSeq = row.seq;
          }
        }
        if (out.length >= max) return out;
      }
      if (groups.length < 64) return out;
    }
  }

  /** FIFO receive: like receiveNow, over fifoCandidates, locking each group it hands messages from. */
  private receiveFifo(queueId: number, request: ReceiveRequest): StoredMessage[] {
    const { nowMs, redrive } = request;
    const dlqFifo = redrive && redrive.dlqId !== queueId && this.fifo.queueFifo.get(redrive.dlqId) ? redrive : undefined;
    const visibleAt = nowMs + request.visibilityMs;
    const out: StoredMessage[] = [];
    const touched = new Set<string>();
    // Rows this receive already handled: with visibilityMs 0 they are still candidates in a later round.
    const handled = new Set<number>();
    // Expired or dead-lettered rows do not count, so look a little further than max.
    for (let round = 0; out.length < request.max && round < 8; round++) {
      const rows = this.fifoCandidates(queueId, nowMs, request.max - out.length + handled.size).filter((r) => !handled.has(r.seq));
      if (rows.length === 0) break;
      for (const row of rows) {
        if (out.length === request.max) break;
        handled.add(row.seq);
        touched.add(row.group_id!);
        if (row.sent_ms + request.retentionMs <= nowMs) {
          this.messages.deleteSeq.run(row.seq);
        } else if (dlqFifo && row.receive_count >= dlqFifo.maxReceiveCount) {
          const m = toStoredMessage(row);
          this.messages.deleteSeq.run(row.seq);
          // A FIFO dead-letter move restarts the clock and takes the messageId as its dedup id (spec §6.8).
          const moved: NewMessage = { ...m, sentMs: nowMs, dedupId: m.messageId, visibleAtMs: nowMs, deadLetterSourceArn: dlqFifo.sourceArn };
          this.insertMessage(dlqFifo.dlqId, this.isFifo(dlqFifo.dlqId), moved, false);
        } else {
          out.push(toStoredMessage(this.receive.markReceived.get({ seq: row.seq, nowMs, visibleAt }) as MessageRow));
          this.fifo.lockGroup.run({ queueId, groupId: row.group_id, until: visibleAt });
        }
      }
      for (const g of touched) this.refreshGroup(queueId, g);
      touched.clear();
    }
    return out;
  }

  /** Runs inside the group-commit savepoint, so the scan, moves and bumps commit together. */
  private receiveNow(queueId: number, request: ReceiveRequest): StoredMessage[] {
    if (request.fifo) return this.receiveFifo(queueId, request);
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
