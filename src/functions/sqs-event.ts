// Turns received SQS messages into Lambda's SQSEvent records, field for field and in Lambda's
// order (shared/spec §9.1, recorded against AWS): system attributes as strings, message
// attributes in camelCase with empty list members, md5OfMessageAttributes null when there are none.
import type { ReceivedMessage } from '../core/api.js';
import type { SqsMessageAttribute, SqsRecord } from './types.js';

/** The system attributes Lambda shows, in its order; FIFO and trace members only when present. */
const SYSTEM_ORDER = [
  'ApproximateReceiveCount',
  'SentTimestamp',
  'SenderId',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageGroupId',
  'MessageDeduplicationId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
];

export function toRecord(m: ReceivedMessage, queueArn: string): SqsRecord {
  const attributes: Record<string, string> = {};
  for (const name of SYSTEM_ORDER) {
    const v = m.Attributes?.[name];
    if (v !== undefined) attributes[name] = v;
  }
  const messageAttributes: Record<string, SqsMessageAttribute> = {};
  for (const [name, a] of Object.entries(m.MessageAttributes ?? {})) {
    messageAttributes[name] =
      a.BinaryValue !== undefined
        ? { binaryValue: a.BinaryValue, stringListValues: [], binaryListValues: [], dataType: a.DataType }
        : { stringValue: a.StringValue, stringListValues: [], binaryListValues: [], dataType: a.DataType };
  }
  return {
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body,
    attributes,
    messageAttributes,
    md5OfMessageAttributes: m.MD5OfMessageAttributes ?? null,
    md5OfBody: m.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? '',
  };
}

/** Approximate bytes a record adds to the invoke payload (Lambda cuts batches at 6 MB). */
export const recordBytes = (m: ReceivedMessage) =>
  Buffer.byteLength(m.Body) + Buffer.byteLength(m.ReceiptHandle) + JSON.stringify(m.MessageAttributes ?? {}).length + 512;
