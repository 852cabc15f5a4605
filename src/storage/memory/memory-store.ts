// The reference engine: plain maps in RAM, for fast tests. Each queue keeps its messages by seq
// plus a min-heap of (visibleAtMs, seq) entries; an entry is live only while its version matches
// the row's, so a visibility change just pushes a new entry (lazy deletion) and receive stays
// O(k log n) instead of scanning the queue.
import { queueMissing } from '../../core/errors.js';
import type { MessageRef, NewMessage, QueueCounts, QueueKey, QueuePatch, QueueRecord, StoredMessage } from '../../core/model.js';
import type { DeleteOutcome, ReceiveRequest, Store, VisibilityChange, VisibilityOutcome } from '../../core/store.js';
import { MinHeap } from './min-heap.js';

interface Row {
  message: StoredMessage;
  /** When the latest receive happened; undefined until the row is received in this queue. */
  receivedAtMs?: number;
  /** Bumped on every change of visibleAtMs so older heap entries are recognised as stale. */
  version: number;
}

interface Entry {
  visibleAtMs: number;
  seq: number;
  version: number;
}

interface QueueState {
  record: QueueRecord;
  rows: Map<number, Row>;
  heap: MinHeap<Entry>;
}

const keyOf = (k: QueueKey) => `${k.accountId}\u0000${k.region}\u0000${k.name}`;
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

  async createQueue(queue: Omit<QueueRecord, 'id'>): Promise<{ queue: QueueRecord; created: boolean }> {
    const existing = this.idsByKey.get(keyOf(queue));
    if (existing !== undefined) return { queue: clone(this.queues.get(existing)!.record), created: false };
    const record: QueueRecord = { ...clone(queue), id: this.nextQueueId++ };
    this.queues.set(record.id, { record, rows: new Map(), heap: new MinHeap(entryLess) });
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

  async sendMessages(queueId: number, messages: NewMessage[]): Promise<void> {
    const state = this.queues.get(queueId);
    if (!state) throw queueMissing();
    for (const m of messages) {
      const message: StoredMessage = { ...cleanCopy(m), seq: this.nextSeq++, receiveCount: m.receiveCount ?? 0 };
      this.insert(state, { message, version: 0 });
    }
  }

  async receiveMessages(queueId: number, request: ReceiveRequest): Promise<StoredMessage[]> {
    const state = this.queues.get(queueId);
    if (!state) return [];
    const { nowMs, redrive } = request;
    const dlq = redrive && redrive.dlqId !== queueId ? this.queues.get(redrive.dlqId) : undefined;
    const taken: Row[] = [];
    while (taken.length < request.max) {
      const row = this.liveTop(state);
      if (!row || row.message.visibleAtMs > nowMs) break;
      state.heap.pop();
      const m = row.message;
      if (m.sentMs + request.retentionMs <= nowMs) {
        state.rows.delete(m.seq);
      } else if (dlq && redrive && m.receiveCount >= redrive.maxReceiveCount) {
        state.rows.delete(m.seq);
        const moved: StoredMessage = { ...m, seq: this.nextSeq++, visibleAtMs: nowMs, deadLetterSourceArn: redrive.sourceArn };
        this.insert(dlq, { message: moved, version: 0 });
      } else {
        m.receiveCount += 1;
        m.firstReceiveMs ??= nowMs;
        m.visibleAtMs = nowMs + request.visibilityMs;
        row.receivedAtMs = nowMs;
        row.version += 1;
        taken.push(row);
      }
    }
    // Re-queue only after the scan, so a zero visibility timeout cannot hand a row out twice.
    for (const row of taken) this.pushEntry(state, row);
    return taken.map((row) => clone(row.message));
  }

  async deleteMessages(queueId: number, refs: MessageRef[]): Promise<DeleteOutcome[]> {
    const rows = this.queues.get(queueId)?.rows;
    return refs.map((ref) => {
      const row = rows?.get(ref.seq);
      if (!row) return 'gone';
      if (row.message.receiveCount !== ref.receiveCount) return 'stale';
      rows!.delete(ref.seq);
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
      return 'changed';
    });
  }

  async purgeQueue(queueId: number): Promise<void> {
    const state = this.queues.get(queueId);
    if (!state) return;
    state.rows.clear();
    state.heap.reset([]);
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

  async expireMessages(queueId: number, sentBeforeMs: number): Promise<number> {
    const rows = this.queues.get(queueId)?.rows;
    let expired = 0;
    for (const [seq, row] of rows ?? []) {
      if (row.message.sentMs <= sentBeforeMs) {
        rows!.delete(seq);
        expired++;
      }
    }
    return expired;
  }

  async close(): Promise<void> {}

  private insert(state: QueueState, row: Row): void {
    state.rows.set(row.message.seq, row);
    this.pushEntry(state, row);
  }

  private pushEntry(state: QueueState, row: Row): void {
    state.heap.push({ visibleAtMs: row.message.visibleAtMs, seq: row.message.seq, version: row.version });
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
