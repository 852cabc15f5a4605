// Data shapes shared by core and the storage engines. Times are epoch milliseconds (`…Ms`).

export interface QueueKey {
  accountId: string;
  region: string;
  name: string;
}

export interface QueueRecord extends QueueKey {
  /** Engine-assigned id, unique across the store for the queue's lifetime (never reused). */
  id: number;
  fifo: boolean;
  /** Every settable attribute with its current value, as the wire shows it (strings). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdMs: number;
  lastModifiedMs: number;
  /** When the last PurgeQueue ran (60 s rule); 0 if never. */
  lastPurgeMs: number;
}

export type QueuePatch = Partial<Pick<QueueRecord, 'attributes' | 'tags' | 'lastModifiedMs' | 'lastPurgeMs'>>;

/** A message attribute as the wire carries it; BinaryValue stays base64. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}
export type MessageAttributes = Record<string, MessageAttributeValue>;

/** A message as core hands it to Store.sendMessages. */
export interface NewMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  attributes: MessageAttributes;
  /** Only AWSTraceHeader today. */
  systemAttributes: MessageAttributes;
  senderId: string;
  sentMs: number;
  /** First moment a receive may return it (send time + delay). */
  visibleAtMs: number;
  /** FIFO and fair-queue fields; absent on plain standard messages. */
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  /** Set when the message was moved here from a source queue by redrive. */
  deadLetterSourceArn?: string;
  /**
   * FIFO deduplication: the engine drops this message (answering with the original's ids) when a
   * message with the same (queue, dedupScope, dedupId) was accepted and its window is still open
   * (dedupUntilMs > this message's sentMs). Absent on standard queues and on moved messages.
   */
  dedupScope?: string;
  dedupUntilMs?: number;
  /** Receives so far (carried over when a message moves to a dead-letter queue). */
  receiveCount?: number;
  firstReceiveMs?: number;
}

/** A stored message as a receive returns it, after the receive's bookkeeping. */
export interface StoredMessage extends NewMessage {
  /** Engine row id: unique, increasing in send order within the store. */
  seq: number;
  receiveCount: number;
  firstReceiveMs?: number;
}

/** What a receipt handle names: the row and which receive of it issued the handle. */
export interface MessageRef {
  seq: number;
  receiveCount: number;
}

/** What the engine did with one sent message. */
export interface SendOutcome {
  /** The stored message's id, or the original's when this one was a duplicate. */
  messageId: string;
  /** FIFO queues: assigned by the engine (see core/rules/fifo.ts sequenceNumberOf). */
  sequenceNumber?: string;
  duplicate: boolean;
}

/** A message move task (StartMessageMoveTask), persisted so it survives a restart. */
export interface MoveTaskRecord {
  taskId: string;
  sourceArn: string;
  destinationArn?: string;
  maxPerSecond?: number;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  moved: number;
  toMove: number;
  failureReason?: string;
  startedMs: number;
}

export interface QueueCounts {
  visible: number;
  inflight: number;
  delayed: number;
}
