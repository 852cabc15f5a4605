// The Store port: SQS verbs, not CRUD. Every call is atomic in its engine (a receive, its
// receive-count bump and any dead-letter move commit together or not at all), and every call that
// depends on time takes `nowMs` from the caller's clock. Engines never read a clock themselves.
import type { MessageRef, MoveTaskRecord, NewMessage, QueueCounts, QueueKey, QueuePatch, QueueRecord, SendOutcome, StoredMessage } from './model.js';

export interface ReceiveRequest {
  nowMs: number;
  max: number;
  /** New invisibility for each returned message: visible_at = nowMs + visibilityMs. */
  visibilityMs: number;
  /** Messages whose sentMs + retentionMs <= nowMs are deleted instead of returned. */
  retentionMs: number;
  /**
   * Dead-letter redrive. A visible message whose receiveCount is already >= maxReceiveCount is
   * moved (same transaction) to the queue `dlqId` instead of being returned: same messageId, body,
   * attributes, sentMs and receiveCount; deadLetterSourceArn = sourceArn; visible at once.
   * If the DLQ no longer exists the message is returned as usual.
   */
  redrive?: { dlqId: number; maxReceiveCount: number; sourceArn: string };
  /**
   * FIFO receive (the queue's own type). Messages come out in seq order within a message group. A
   * group whose messages were received is locked until every one of them is deleted or visible
   * again; a locked group yields nothing, other groups flow. A receive takes as many messages of
   * the oldest ready group as it can (stopping at a message not yet visible), then the next group.
   * A FIFO dead-letter move also resets sentMs to nowMs and sets dedupId to the messageId.
   */
  fifo?: boolean;
}

/** One message of a move task: take row `seq` out of the source, add `message` to `toQueueId`. */
export interface Move {
  seq: number;
  toQueueId: number;
  message: NewMessage;
}

export type DeleteOutcome =
  /** The row was removed. */
  | 'deleted'
  /** The handle is older than the message's latest receive: nothing changed (AWS succeeds). */
  | 'stale'
  /** No such message (already deleted, expired, purged): AWS succeeds for deletes. */
  | 'gone'
  /** FIFO only: the handle's visibility timeout already ran out; nothing changed (AWS refuses). */
  | 'expired';

export interface VisibilityChange {
  ref: MessageRef;
  /** visible_at becomes nowMs + visibilityMs. */
  visibilityMs: number;
}

export type VisibilityOutcome =
  | 'changed'
  /** Unknown row or a handle from an older receive. */
  | 'gone'
  /** nowMs + visibilityMs would be more than maxInvisibleMs after the receive that issued the handle. */
  | 'too-long';

export interface Store {
  /** Creates the queue unless one with the same key exists; either way returns the stored record. */
  createQueue(queue: Omit<QueueRecord, 'id'>): Promise<{ queue: QueueRecord; created: boolean }>;
  getQueue(key: QueueKey): Promise<QueueRecord | undefined>;
  getQueueById(id: number): Promise<QueueRecord | undefined>;
  /** Queues of one account and region, by name ascending; `prefix` filters names. */
  listQueues(accountId: string, region: string, prefix?: string): Promise<QueueRecord[]>;
  /** Every queue in the store (metrics, dead-letter source lookup). */
  allQueues(): Promise<QueueRecord[]>;
  updateQueue(id: number, patch: QueuePatch): Promise<void>;
  /** Removes the queue and its messages; remembers deletedMs for the name (QueueDeletedRecently). */
  deleteQueue(id: number, nowMs: number): Promise<void>;
  /** When a queue with this key was last deleted, if ever. */
  lastDeletedMs(key: QueueKey): Promise<number | undefined>;

  /**
   * Appends messages in array order; durable when the promise resolves. On a FIFO queue the engine
   * assigns sequence numbers, keeps each group's order and applies deduplication (NewMessage.dedup*).
   */
  sendMessages(queueId: number, messages: NewMessage[]): Promise<SendOutcome[]>;
  /** Returns up to `max` visible messages, oldest visible_at first, each with receiveCount bumped. */
  receiveMessages(queueId: number, request: ReceiveRequest): Promise<StoredMessage[]>;
  /** With `expiredAtMs` (FIFO), a latest-receive handle whose row is visible again at that time is 'expired'. */
  deleteMessages(queueId: number, refs: MessageRef[], expiredAtMs?: number): Promise<DeleteOutcome[]>;
  changeVisibility(queueId: number, changes: VisibilityChange[], nowMs: number, maxInvisibleMs: number): Promise<VisibilityOutcome[]>;
  /** Up to `max` visible messages in receive order, without changing anything (operators' peek, move tasks). */
  peekMessages(queueId: number, nowMs: number, max: number): Promise<StoredMessage[]>;
  /**
   * Moves messages atomically: each source row still present is deleted and its replacement
   * inserted (FIFO destinations keep group order; no deduplication). Returns how many moved. If a
   * destination queue no longer exists it throws QueueDoesNotExist and nothing moves. With `task`,
   * that task's record is saved in the same transaction with `moved` raised by the count, so a crash
   * can never separate the moved messages from the progress that counts them.
   */
  moveMessages(sourceId: number, moves: Move[], task?: MoveTaskRecord): Promise<number>;
  saveMoveTask(task: MoveTaskRecord): Promise<void>;
  /** Tasks of one source queue (or all), newest first. */
  listMoveTasks(sourceArn?: string): Promise<MoveTaskRecord[]>;
  /** Deletes every message of the queue and its FIFO deduplication windows (AWS clears them too). */
  purgeQueue(queueId: number): Promise<void>;
  counts(queueId: number, nowMs: number): Promise<QueueCounts>;
  /** Smallest visible_at among the queue's messages (to wake long polls), if it has any. */
  nextVisibleAtMs(queueId: number): Promise<number | undefined>;
  /** Deletes messages with sentMs <= sentBeforeMs, and FIFO dedup entries closed by nowMs; returns how many messages. */
  expireMessages(queueId: number, sentBeforeMs: number, nowMs: number): Promise<number>;

  close(): Promise<void>;
}
