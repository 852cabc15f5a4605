// The memory engine's per-queue state, shared by memory-store.ts and fifo.ts.
import type { QueueRecord, StoredMessage } from '../../core/model.js';
import type { MinHeap } from './min-heap.js';

export interface Row {
  message: StoredMessage;
  /** When the latest receive happened; undefined until the row is received in this queue. */
  receivedAtMs?: number;
  /** Bumped on every change of visibleAtMs so older heap entries are recognised as stale. */
  version: number;
}

export interface Entry {
  visibleAtMs: number;
  seq: number;
  version: number;
}

export interface QueueState {
  record: QueueRecord;
  /** Insertion order is seq order (seqs only grow), which FIFO receives rely on. */
  rows: Map<number, Row>;
  heap: MinHeap<Entry>;
  /** FIFO: when each message group's lock ends (0 = unlocked). */
  locks: Map<string, number>;
  /** FIFO: open deduplication windows by `${scope}\u0000${dedupId}`. */
  dedup: Map<string, { messageId: string; sequenceNumber?: string; untilMs: number }>;
}

