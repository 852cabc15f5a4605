// The reference engine: plain maps in RAM, for fast tests. Each queue keeps its messages by seq
// plus a min-heap of (visibleAtMs, seq) entries; an entry is live only while its version matches
// the row's, so a visibility change just pushes a new entry (lazy deletion) and receive stays
// O(k log n) instead of scanning the queue.
import { queueMissing } from '../../core/errors.js';
import type { MessageRef, MoveTaskRecord, NewMessage, QueueCounts, QueueKey, QueuePatch, QueueRecord, SendOutcome, StoredMessage } from '../../core/model.js';
import { sequenceNumberOf } from '../../core/rules/fifo.js';
import type { DeleteOutcome, Move, ReceiveRequest, Store, VisibilityChange, VisibilityOutcome } from '../../core/store.js';
import { fifoCandidates, groupLock } from './fifo.js';
import type { Entry, QueueState, Row } from './state.js';
import { MinHeap } from './min-heap.js';

const keyOf = (k: QueueKey) => `${k.accountId}\u0000${k.region}\u0000${k.name}`;
const entryOf = (r: Row): Entry => ({ visibleAtMs: r.message.visibleAtMs, seq: r.message.seq, version: r.version });
const entryLess = (a: Entry, b: Entry) => a.visibleAtMs < b.visibleAtMs || (a.visibleAtMs === b.visibleAtMs && a.seq < b.seq);
const clone = <T>(value: T): T => structuredClone(value);

/** Copies a message, leaving out optional fields that are undefined (as a database row would). */
function cleanCopy<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = clone(v);
  return out as T;
}

export class MemoryStore implements Store {
  private readonly queues = new Map<number, QueueState>();
  private readonly idsByKey = new Map<string, number>();
  private readonly deletedMs = new Map<string, number>();
  private nextQueueId = 1;
  private nextSeq = 1;
  private readonly tasks = new Map<string, MoveTaskRecord>();

  async createQueue(queue: Omit<QueueRecord, 'id'>): Promise<{ queue: QueueRecord; created: boolean }> {
    const existing = this.idsByKey.get(keyOf(queue));
    if (existing !== undefined) return { queue: clone(this.queues.get(existing)!.record), created: false };
    const record: QueueRecord = { ...clone(queue), id: this.nextQueueId++ };
    this.queues.set(record.id, { record, rows: new Map(), heap: new MinHeap(entryLess), locks: new Map(), dedup: new Map() });
    this.idsByKey.set(keyOf(record), record.id);
    return { queue: clone(record), created: true };
  }

  async getQueue(key: QueueKey): Promise<QueueRecord | undefined> {
    const id = this.idsByKey.get(keyOf(key));
    return id === undefined ? undefined : clone(this.queues.get(id)!.record);
  }

  async getQueueById(id: number): Promise<QueueRecord | undefined> {
    const state = this.queues.get(id);
    return state && clone(state.record);
  }

  async listQueues(accountId: string, region: string, prefix = ''): Promise<QueueRecord[]> {
    return [...this.queues.values()]
      .map((s) => s.record)
      .filter((r) => r.accountId === accountId && r.region === region && r.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(clone);
  }

  async allQueues(): Promise<QueueRecord[]> {
    return [...this.queues.values()].map((s) => clone(s.record));
  }

  async updateQueue(id: number, patch: QueuePatch): Promise<void> {
    const state = this.queues.get(id);
    if (!state) return;
    const r = state.record;
    if (patch.attributes !== undefined) r.attributes = clone(patch.attributes);
    if (patch.tags !== undefined) r.tags = clone(patch.tags);
    if (patch.lastModifiedMs !== undefined) r.lastModifiedMs = patch.lastModifiedMs;
    if (patch.lastPurgeMs !== undefined) r.lastPurgeMs = patch.lastPurgeMs;
  }

  async deleteQueue(id: number, nowMs: number): Promise<void> {
    const state = this.queues.get(id);
    if (!state) return;
    this.queues.delete(id);
    this.idsByKey.delete(keyOf(state.record));
    this.deletedMs.set(keyOf(state.record), nowMs);
  }

  async lastDeletedMs(key: QueueKey): Promise<number | undefined> {
    return this.deletedMs.get(keyOf(key));
  }

  async sendMessages(queueId: number, messages: NewMessage[]): Promise<SendOutcome[]> {
    const state = this.queues.get(queueId);
    if (!state) throw queueMissing();
    return messages.map((m) => {
      const key = m.dedupScope === undefined ? undefined : `${m.dedupScope}\u0000${m.dedupId}`;
      const seen = key === undefined ? undefined : state.dedup.get(key);
      if (seen && seen.untilMs > m.sentMs) return { messageId: seen.messageId, sequenceNumber: seen.sequenceNumber, duplicate: true };
      const stored = this.append(state, m);
      if (key !== undefined) state.dedup.set(key, { messageId: stored.messageId, sequenceNumber: stored.sequenceNumber, untilMs: m.dedupUntilMs ?? m.sentMs });
      return { messageId: stored.messageId, sequenceNumber: stored.sequenceNumber, duplicate: false };
    });
  }

  async receiveMessages(queueId: number, request: ReceiveRequest): Promise<StoredMessage[]> {
    const state = this.queues.get(queueId);
    if (!state) return [];
    const { nowMs, redrive } = request;
    const dlq = redrive && redrive.dlqId !== queueId ? this.queues.get(redrive.dlqId) : undefined;
    const taken: Row[] = [];
    const visit = (row: Row): void => {
      const m = row.message;
      if (m.sentMs + request.retentionMs <= nowMs) {
        state.rows.delete(m.seq);
      } else if (dlq && redrive && m.receiveCount >= redrive.maxReceiveCount) {
        state.rows.delete(m.seq);
        // A FIFO dead-letter move restarts the clock and takes the messageId as its dedup id (spec §6.8).
        const fifoMove = request.fifo ? { sentMs: nowMs, dedupId: m.messageId } : {};
        this.append(dlq, { ...m, ...fifoMove, visibleAtMs: nowMs, deadLetterSourceArn: redrive.sourceArn }, false);
      } else {
        m.receiveCount += 1;
        m.firstReceiveMs ??= nowMs;
        m.visibleAtMs = nowMs + request.visibilityMs;
        row.receivedAtMs = nowMs;
        row.version += 1;
        taken.push(row);
        if (m.groupId !== undefined && request.fifo) state.locks.set(m.groupId, Math.max(state.locks.get(m.groupId) ?? 0, m.visibleAtMs));
      }
    };
    if (request.fifo) {
      for (const row of fifoCandidates(state, nowMs)) {
        if (taken.length === request.max) break;
        visit(row);
      }
    } else {
      while (taken.length < request.max) {
        const row = this.liveTop(state);
        if (!row || row.message.visibleAtMs > nowMs) break;
        state.heap.pop();
        visit(row);
      }
    }
    // Re-queue only after the scan, so a zero visibility timeout cannot hand a row out twice.
    for (const row of taken) this.pushEntry(state, row);
    return taken.map((row) => clone(row.message));
  }

  async deleteMessages(queueId: number, refs: MessageRef[], expiredAtMs?: number): Promise<DeleteOutcome[]> {
    const state = this.queues.get(queueId);
    return refs.map((ref) => {
      const row = state?.rows.get(ref.seq);
      if (!state || !row) return 'gone';
      if (row.message.receiveCount !== ref.receiveCount) return 'stale';
      if (expiredAtMs !== undefined && row.message.visibleAtMs <= expiredAtMs) return 'expired';
      state.rows.delete(ref.seq);
      this.relock(state, row);
      return 'deleted';
    });
  }

  async changeVisibility(queueId: number, changes: VisibilityChange[], nowMs: number, maxInvisibleMs: number): Promise<VisibilityOutcome[]> {
    const state = this.queues.get(queueId);
    return changes.map(({ ref, visibilityMs }) => {
      const row = state?.rows.get(ref.seq);
      if (!state || !row || row.receivedAtMs === undefined || row.message.receiveCount !== ref.receiveCount) return 'gone';
      if (nowMs + visibilityMs - row.receivedAtMs > maxInvisibleMs) return 'too-long';
      row.message.visibleAtMs = nowMs + visibilityMs;
      row.version += 1;
      this.pushEntry(state, row);
      this.relock(state, row);
      return 'changed';
    });
  }

  async purgeQueue(queueId: number): Promise<void> {
    const state = this.queues.get(queueId);
    if (!state) return;
    state.rows.clear();
    state.heap.reset([]);
    state.locks.clear();
    state.dedup.clear(); // AWS-rec test_purge_queue_clears_fifo_deduplication_cache
  }

  async peekMessages(queueId: number, nowMs: number, max: number): Promise<StoredMessage[]> {
    const state = this.queues.get(queueId);
    if (!state) return [];
    const rows = state.record.fifo ? fifoCandidates(state, nowMs) : [...state.rows.values()].filter((r) => r.message.visibleAtMs <= nowMs).sort((a, b) => (entryLess(entryOf(a), entryOf(b)) ? -1 : 1));
    return rows.slice(0, max).map((r) => clone(r.message));
  }

  async moveMessages(sourceId: number, moves: Move[], task?: MoveTaskRecord): Promise<number> {
    const source = this.queues.get(sourceId);
    const targets = moves.map((m) => this.queues.get(m.toQueueId));
    if (targets.some((t) => !t)) throw queueMissing();
    let moved = 0;
    moves.forEach((move, i) => {
      const row = source?.rows.get(move.seq);
      if (!source || !row) return;
      source.rows.delete(move.seq);
      this.relock(source, row);
      this.append(targets[i]!, move.message);
      moved++;
    });
    if (task) await this.saveMoveTask({ ...task, moved: task.moved + moved });
    return moved;
  }

  async saveMoveTask(task: MoveTaskRecord): Promise<void> {
    this.tasks.set(task.taskId, clone(task));
  }

  async listMoveTasks(sourceArn?: string): Promise<MoveTaskRecord[]> {
    // Map order is creation order; reversed, a stable sort keeps the newer of two same-ms tasks first.
    return [...this.tasks.values()]
      .filter((t) => sourceArn === undefined || t.sourceArn === sourceArn)
      .reverse()
      .sort((a, b) => b.startedMs - a.startedMs)
      .map(clone);
  }

  async counts(queueId: number, nowMs: number): Promise<QueueCounts> {
    const counts: QueueCounts = { visible: 0, inflight: 0, delayed: 0 };
    for (const row of this.queues.get(queueId)?.rows.values() ?? []) {
      if (row.message.visibleAtMs <= nowMs) counts.visible++;
      else if (row.receivedAtMs !== undefined) counts.inflight++;
      else counts.delayed++;
    }
    return counts;
  }

  async nextVisibleAtMs(queueId: number): Promise<number | undefined> {
    const state = this.queues.get(queueId);
    return state && this.liveTop(state)?.message.visibleAtMs;
  }

  async expireMessages(queueId: number, sentBeforeMs: number, nowMs: number): Promise<number> {
    const state = this.queues.get(queueId);
    if (!state) return 0;
    let expired = 0;
    for (const [seq, row] of state.rows) {
      if (row.message.sentMs <= sentBeforeMs) {
        state.rows.delete(seq);
        this.relock(state, row);
        expired++;
      }
    }
    for (const [key, d] of state.dedup) if (d.untilMs <= nowMs) state.dedup.delete(key);
    return expired;
  }

  async close(): Promise<void> {}

  /** Stores a copy of `m` under a new seq; FIFO queues get its sequence number from the seq. */
  private append(state: QueueState, m: NewMessage, fresh = true): StoredMessage {
    const seq = this.nextSeq++;
    const message: StoredMessage = { ...cleanCopy(m), seq, receiveCount: m.receiveCount ?? 0 };
    delete message.dedupScope;
    delete message.dedupUntilMs;
    if (state.record.fifo && (fresh || message.sequenceNumber === undefined)) message.sequenceNumber = sequenceNumberOf(seq);
    const row: Row = { message, version: 0 };
    state.rows.set(seq, row);
    this.pushEntry(state, row);
    return message;
  }

  /** After a FIFO row is deleted or its visibility changes, its group stays locked only by rows still in flight. */
  private relock(state: QueueState, row: Row): void {
    const group = row.message.groupId;
    if (state.record.fifo && group !== undefined) state.locks.set(group, groupLock(state, group));
  }

  private pushEntry(state: QueueState, row: Row): void {
    state.heap.push(entryOf(row));
    // Stale entries pile up under many visibility changes; rebuild once they dominate.
    if (state.heap.size > 2 * state.rows.size + 64) {
      state.heap.reset([...state.rows.values()].map((r) => ({ visibleAtMs: r.message.visibleAtMs, seq: r.message.seq, version: r.version })));
    }
  }

  /** The row at the head of the heap, discarding stale entries on the way (amortised O(log n)). */
  private liveTop(state: QueueState): Row | undefined {
    for (let top = state.heap.peek(); top; top = state.heap.peek()) {
      const row = state.rows.get(top.seq);
      if (row && row.version === top.version) return row;
      state.heap.pop();
    }
    return undefined;
  }
}
