// Queue attributes: which exist, their defaults and ranges, which are read-only, which are
// FIFO-only (spec §4). Values travel as strings; validation normalises them (e.g. RedrivePolicy's
// maxReceiveCount becomes a JSON number) so stored values are what GetQueueAttributes returns.
import { err } from '../errors.js';
import { limits } from '../limits.js';
import { hasOwn } from './own.js';

type Validator = (value: string, name: string) => string;

const intRange = (min: number, max: number): Validator => (value, name) => {
  if (!/^-?\d+$/.test(value.trim())) throw badValue(name);
  const n = Number(value);
  if (n < min || n > max) throw badValue(name);
  return String(n);
};
const oneOf = (...allowed: string[]): Validator => (value, name) => {
  if (!allowed.includes(value)) throw badValue(name);
  return value;
};
const bool: Validator = (value, name) => {
  const v = value.toLowerCase();
  if (v !== 'true' && v !== 'false') throw badValue(name);
  return v;
};
const jsonText: Validator = (value, name) => {
  if (value === '') return '';
  try {
    const parsed = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
  } catch {
    throw badValue(name);
  }
  return value;
};
const anyText: Validator = (value) => value;

export const badValue = (name: string) => err('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);

/** Settable attributes: validator, and default stored at creation (absent = not shown until set). */
export const settableAttributes: Record<string, { validate: Validator; standardDefault?: string; fifoOnly?: boolean; fifoDefault?: string }> = {
  DelaySeconds: { validate: intRange(0, limits.delaySecondsMax), standardDefault: '0' },
  MaximumMessageSize: { validate: intRange(limits.messageMinBytes, limits.messageMaxBytes), standardDefault: String(limits.messageMaxBytes) },
  MessageRetentionPeriod: { validate: intRange(limits.retentionSecondsMin, limits.retentionSecondsMax), standardDefault: '345600' },
  ReceiveMessageWaitTimeSeconds: { validate: intRange(0, limits.waitSecondsMax), standardDefault: '0' },
  VisibilityTimeout: { validate: intRange(0, limits.visibilitySecondsMax), standardDefault: '30' },
  Policy: { validate: jsonText },
  RedrivePolicy: { validate: anyText }, // checked by redrive.ts: needs the store to resolve the DLQ
  RedriveAllowPolicy: { validate: anyText }, // checked by redrive.ts
  KmsMasterKeyId: { validate: anyText },
  KmsDataKeyReusePeriodSeconds: { validate: intRange(60, 86_400) },
  SqsManagedSseEnabled: { validate: bool, standardDefault: 'true' },
  FifoQueue: { validate: bool, fifoOnly: true, fifoDefault: 'true' },
  ContentBasedDeduplication: { validate: bool, fifoOnly: true, fifoDefault: 'false' },
  DeduplicationScope: { validate: oneOf('messageGroup', 'queue'), fifoOnly: true, fifoDefault: 'queue' },
  FifoThroughputLimit: { validate: oneOf('perQueue', 'perMessageGroupId'), fifoOnly: true, fifoDefault: 'perQueue' },
};

export const readOnlyAttributes = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

const unknown = (name: string) => err('InvalidAttributeName', `Unknown Attribute ${name}.`);

/** Attributes a new queue starts with. */
export function defaultAttributes(fifo: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, def] of Object.entries(settableAttributes)) {
    if (def.standardDefault !== undefined) out[name] = def.standardDefault;
    if (fifo && def.fifoDefault !== undefined) out[name] = def.fifoDefault;
  }
  return out;
}

/**
 * Validates the attributes of a CreateQueue or SetQueueAttributes request and returns them
 * normalised. `creating` allows FifoQueue; the queue type decides which FIFO attributes exist.
 */
export function validateAttributes(input: Record<string, string>, fifo: boolean, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input)) {
    const def = hasOwn(settableAttributes, name) ? settableAttributes[name] : undefined;
    if (!def) throw unknown(name);
    if (def.fifoOnly && !fifo) {
      if (name === 'DeduplicationScope' || name === 'FifoThroughputLimit') {
        throw err('InvalidAttributeName', `You can specify the ${name} only when FifoQueue is set to true.`);
      }
      throw unknown(name);
    }
    if (name === 'FifoQueue' && !creating) {
      throw err('InvalidAttributeValue', 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.');
    }
    out[name] = def.validate(String(raw), name);
  }
  return out;
}

/**
 * Merges validated changes into the current attributes. KMS and SQS-managed SSE are exclusive:
 * asking for both at once is an error; choosing one turns the other off. "" removes a policy.
 */
export function mergeAttributes(current: Record<string, string>, changes: Record<string, string>): Record<string, string> {
  const next = { ...current, ...changes };
  const wantsKms = changes.KmsMasterKeyId !== undefined && changes.KmsMasterKeyId !== '';
  if (wantsKms && changes.SqsManagedSseEnabled === 'true') {
    throw err('InvalidAttributeName', 'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.');
  }
  if (wantsKms) next.SqsManagedSseEnabled = 'false';
  if (changes.SqsManagedSseEnabled === 'true' || next.KmsMasterKeyId === '') {
    delete next.KmsMasterKeyId;
    delete next.KmsDataKeyReusePeriodSeconds;
  }
  if (next.KmsMasterKeyId !== undefined && next.KmsDataKeyReusePeriodSeconds === undefined) next.KmsDataKeyReusePeriodSeconds = '300';
  for (const name of ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy']) if (next[name] === '') delete next[name];
  return next;
}

export function isKnownAttribute(name: string): boolean {
  return name === 'All' || hasOwn(settableAttributes, name) || (readOnlyAttributes as readonly string[]).includes(name);
}
