// Mapping between SQLite rows and the core model. Attributes travel as JSON text; optional fields
// are NULL in the row and absent (not undefined) in the model.
import type { NewMessage, QueueRecord, StoredMessage } from '../../core/model.js';

export interface QueueRow {
  id: number;
  account_id: string;
  region: string;
  name: string;
  fifo: number;
  attributes: string;
  tags: string;
  created_ms: number;
  last_modified_ms: number;
  last_purge_ms: number;
}

export interface MessageRow {
  seq: number;
  queue_id: number;
  message_id: string;
  body: string;
  md5_of_body: string;
  attributes: string;
  system_attributes: string;
  sender_id: string;
  sent_ms: number;
  visible_at: number;
  receive_count: number;
  first_receive_ms: number | null;
  received_at: number | null;
  group_id: string | null;
  dedup_id: string | null;
  sequence_number: string | null;
  dead_letter_source_arn: string | null;
}

export const toQueueRecord = (r: QueueRow): QueueRecord => ({
  id: r.id,
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  fifo: r.fifo === 1,
  attributes: JSON.parse(r.attributes) as Record<string, string>,
  tags: JSON.parse(r.tags) as Record<string, string>,
  createdMs: r.created_ms,
  lastModifiedMs: r.last_modified_ms,
  lastPurgeMs: r.last_purge_ms,
});

export const queueParams = (q: Omit<QueueRecord, 'id'>) => ({
  accountId: q.accountId,
  region: q.region,
  name: q.name,
  fifo: q.fifo ? 1 : 0,
  attributes: JSON.stringify(q.attributes),
  tags: JSON.stringify(q.tags),
  createdMs: q.createdMs,
  lastModifiedMs: q.lastModifiedMs,
  lastPurgeMs: q.lastPurgeMs,
});

export const messageParams = (queueId: number, m: NewMessage) => ({
  queueId,
  messageId: m.messageId,
  body: m.body,
  md5OfBody: m.md5OfBody,
  attributes: JSON.stringify(m.attributes),
  systemAttributes: JSON.stringify(m.systemAttributes),
  senderId: m.senderId,
  sentMs: m.sentMs,
  visibleAtMs: m.visibleAtMs,
  receiveCount: m.receiveCount ?? 0,
  firstReceiveMs: m.firstReceiveMs ?? null,
  groupId: m.groupId ?? null,
  dedupId: m.dedupId ?? null,
  sequenceNumber: m.sequenceNumber ?? null,
  deadLetterSourceArn: m.deadLetterSourceArn ?? null,
});

export function toStoredMessage(r: MessageRow): StoredMessage {
  const m: StoredMessage = {
    seq: r.seq,
    messageId: r.message_id,
    body: r.body,
    md5OfBody: r.md5_of_body,
    attributes: JSON.parse(r.attributes) as StoredMessage['attributes'],
    systemAttributes: JSON.parse(r.system_attributes) as StoredMessage['systemAttributes'],
    senderId: r.sender_id,
    sentMs: r.sent_ms,
    visibleAtMs: r.visible_at,
    receiveCount: r.receive_count,
  };
  if (r.first_receive_ms !== null) m.firstReceiveMs = r.first_receive_ms;
  if (r.group_id !== null) m.groupId = r.group_id;
  if (r.dedup_id !== null) m.dedupId = r.dedup_id;
  if (r.sequence_number !== null) m.sequenceNumber = r.sequence_number;
  if (r.dead_letter_source_arn !== null) m.deadLetterSourceArn = r.dead_letter_source_arn;
  return m;
}
