// Publish / PublishBatch input checks (texts AWS-recorded in LocalStack's test_sns.snapshot.json:
// TestSNSPublishCrud, test_publish_batch_exceptions, test_validations_for_fifo) and the
// per-protocol message of MessageStructure=json. Delivery itself is in fanout.ts.
import type { PublishEntry } from '../core/sns-api.js';
import type { MessageAttributes } from '../core/model.js';
import { invalidParameter, snsErr } from '../core/sns-errors.js';
import type { TopicRecord } from '../core/sns-store.js';
import { publishSize, validateAttributes } from './message-attributes.js';

export const MAX_PUBLISH_BYTES = 262_144;
const BATCH_MAX = 10;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;
// "ASCII text that begins with a letter, number, or punctuation mark; no line breaks or control
// characters; less than 100 characters" (SNS API reference, Publish: Subject).
const SUBJECT = /^[\x21-\x7e][\x20-\x7e]*$/;

export interface PreparedPublish {
  id?: string;
  /** The default message, and per-protocol ones from MessageStructure=json. */
  message: string;
  /** Message as published (content-based deduplication hashes this). */
  rawMessage: string;
  perProtocol?: Record<string, string>;
  subject?: string;
  attributes: MessageAttributes;
  groupId?: string;
  dedupId?: string;
}

/** The message a protocol's subscribers get: its own key of a json structure, else `default`. */
export const messageFor = (p: PreparedPublish, protocol: string) => p.perProtocol?.[protocol] ?? p.message;

export function preparePublish(topic: TopicRecord, e: PublishEntry, where: string): PreparedPublish {
  if (e.Message === undefined || e.Message === '') throw invalidParameter('Empty message');
  if (e.Subject !== undefined && (e.Subject.length >= 100 || !SUBJECT.test(e.Subject))) throw invalidParameter('Subject');
  const attributes = validateAttributes(e.MessageAttributes, where);
  if (publishSize(e.Message, attributes) > MAX_PUBLISH_BYTES) throw invalidParameter('Message too long');
  const out: PreparedPublish = { message: e.Message, rawMessage: e.Message, attributes };
  if (e.Id !== undefined) out.id = e.Id;
  if (e.Subject !== undefined) out.subject = e.Subject;
  if (e.MessageStructure !== undefined) {
    if (e.MessageStructure !== 'json') throw invalidParameter('MessageStructure');
    let parsed: unknown;
    try {
      parsed = JSON.parse(e.Message);
    } catch {
      throw invalidParameter('Message Structure - JSON message body failed to parse');
    }
    const obj = parsed as Record<string, unknown> | null;
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || typeof obj.default !== 'string') {
      throw invalidParameter('Message Structure - No default entry in JSON message body');
    }
    out.message = obj.default;
    out.perProtocol = Object.fromEntries(Object.entries(obj).filter((kv): kv is [string, string] => typeof kv[1] === 'string'));
  }
  if (topic.fifo) {
    if (e.MessageGroupId === undefined || e.MessageGroupId === '') throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
    if (!FIFO_ID.test(e.MessageGroupId)) throw invalidParameter('MessageGroupId Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
    const cbd = topic.attributes.ContentBasedDeduplication === 'true';
    if (e.MessageDeduplicationId === undefined && !cbd) {
      throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    }
    if (e.MessageDeduplicationId !== undefined && !FIFO_ID.test(e.MessageDeduplicationId)) {
      throw invalidParameter('MessageDeduplicationId Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
    }
    out.groupId = e.MessageGroupId;
    if (e.MessageDeduplicationId !== undefined) out.dedupId = e.MessageDeduplicationId;
  } else {
    if (e.MessageDeduplicationId !== undefined) {
      throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    }
    // Standard topics forward a MessageGroupId to standard queues (fair queues, AWS-recorded).
    if (e.MessageGroupId !== undefined) {
      if (!FIFO_ID.test(e.MessageGroupId)) throw invalidParameter('MessageGroupId Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
      out.groupId = e.MessageGroupId;
    }
  }
  return out;
}

/** Whole-request checks of PublishBatch, then each entry; any invalid entry fails the request (AWS-recorded). */
export function prepareBatch(topic: TopicRecord, entries: PublishEntry[] | undefined): PreparedPublish[] {
  const list = entries ?? [];
  if (list.length === 0) throw snsErr('EmptyBatchRequest', 'The batch request does not contain any entries.');
  if (list.length > BATCH_MAX) throw snsErr('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
  const ids = new Set<string>();
  for (const e of list) {
    const id = e.Id ?? '';
    if (id.length > 80) throw snsErr('InvalidBatchEntryId', `The Id of a batch entry in a batch request is too long: ${id}`);
    if (!BATCH_ID.test(id)) throw snsErr('InvalidBatchEntryId', `The Id of a batch entry in a batch request contains an impermissible character: ${id}`);
    if (ids.has(id)) throw snsErr('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    ids.add(id);
  }
  // Checked before the entries themselves: one oversized entry fails the batch as a whole (AWS-recorded).
  let total = 0;
  for (const e of list) total += publishSize(e.Message ?? '', tolerant(e.MessageAttributes));
  if (total > MAX_PUBLISH_BYTES) throw snsErr('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');
  const prepared = list.map((e, i) => preparePublish(topic, e, `publishBatchRequestEntries.${i + 1}.member.messageAttributes`));
  return prepared;
}

/** Attributes as sent, for sizing only (validation comes after). */
function tolerant(attributes: MessageAttributes | undefined): MessageAttributes {
  const out: MessageAttributes = {};
  for (const [k, v] of Object.entries(attributes ?? {})) out[k] = { DataType: v?.DataType ?? '', StringValue: v?.StringValue, BinaryValue: v?.BinaryValue };
  return out;
}
