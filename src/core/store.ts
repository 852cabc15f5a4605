// The Store port: SQS verbs, not CRUD. Every call is atomic in its engine (a receive, its
// receive-count bump and any dead-letter move commit together or not at all), and every call that
// depends on time takes `nowMs` from the caller's clock. Engines never read a clock themselves.
import type { MessageRef, NewMessage, QueueCounts, QueueKey, QueuePatch, QueueRecord, StoredMessage } from './model.js';

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
}

export type DeleteOutcome =
  /** The row was removed. */
  | 'deleted'
  /** The handle is older than the message's latest receive: nothing changed (AWS succeeds). */
  | 'stale'
  /** No such message (already deleted, expired, purged): AWS succeeds for deletes. */
  | 'gone';

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

  /** Appends messages in array order; durable when the promise resolves. */
  sendMessages(queueId: number, messages: NewMessage[]): Promise<void>;
  /** Returns up to `max` visible messages, oldest visible_at first, each with receiveCount bumped. */
  receiveMessages(queueId: number, request: ReceiveRequest): Promise<StoredMessage[]>;
  deleteMessages(queueId: number, refs: MessageRef[]): Promise<DeleteOutcome[]>;
  changeVisibility(queueId: number, changes: VisibilityChange[], nowMs: number, maxInvisibleMs: number): Promise<VisibilityOutcome[]>;
  /** Deletes every message of the queue. */
  purgeQueue(queueId: number): Promise<void>;
  counts(queueId: number, nowMs: number): Promise<QueueCounts>;
  /** Smallest visible_at among the queue's messages (to wake long polls), if it has any. */
  nextVisibleAtMs(queueId: number): Promise<number | undefined>;
  /** Deletes messages with sentMs <= sentBeforeMs; returns how many. */
  expireMessages(queueId: number, sentBeforeMs: number): Promise<number>;

  close(): Promise<void>;
}
