// Shared fixtures for the unit tests: a QueueService on the memory engine driven by a ManualClock,
// the standard request context, and assertions for the typed errors core throws.
import assert from 'node:assert/strict';
import type { RequestContext } from '../../src/core/api.js';
import type { ErrorName } from '../../src/core/error-catalog.js';
import { SqsError } from '../../src/core/errors.js';
import type { MessageAttributes } from '../../src/core/model.js';
import { QueueService } from '../../src/core/queue-service.js';
import { ManualClock } from '../../src/core/scheduler.js';
import { nodeCrypto } from '../../src/server.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';

/** Clock origin; a whole second so second-granularity attributes are easy to predict. */
export const T0 = 1_700_000_000_000;

export const ctx: RequestContext = { accountId: '000000000000', region: 'us-east-1', baseUrl: 'http://localhost:9324', senderId: 'AIDTEST' };
export const otherAccount: RequestContext = { ...ctx, accountId: '111111111111' };
export const otherRegion: RequestContext = { ...ctx, region: 'eu-west-1' };

export const urlFor = (name: string, c: RequestContext = ctx) => `${c.baseUrl}/${c.accountId}/${name}`;
export const arnFor = (name: string, c: RequestContext = ctx) => `arn:aws:sqs:${c.region}:${c.accountId}:${name}`;

export interface Harness {
  service: QueueService;
  clock: ManualClock;
  store: MemoryStore;
  /** The service's handlers (`a.SendMessage(ctx, input)`). */
  a: QueueService['actions'];
}

export function harness(startMs = T0): Harness {
  const clock = new ManualClock(startMs);
  const store = new MemoryStore();
  const service = new QueueService(store, clock, nodeCrypto);
  return { service, clock, store, a: service.actions };
}

/** Creates a queue and returns its URL. */
export async function makeQueue(h: Harness, name = 'q1', Attributes?: Record<string, string>, c: RequestContext = ctx): Promise<string> {
  return (await h.a.CreateQueue(c, { QueueName: name, Attributes })).QueueUrl;
}

export async function send(h: Harness, url: string, body: string, extra: { DelaySeconds?: number; MessageAttributes?: MessageAttributes } = {}) {
  return h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: body, ...extra });
}

/** Messages of one receive ([] when AWS would omit the key). */
export async function receive(h: Harness, url: string, input: Omit<Parameters<Harness['a']['ReceiveMessage']>[1], 'QueueUrl'> = {}) {
  return (await h.a.ReceiveMessage(ctx, { QueueUrl: url, ...input })).Messages ?? [];
}

export async function attrs(h: Harness, url: string, names: string[] = ['All']): Promise<Record<string, string>> {
  return (await h.a.GetQueueAttributes(ctx, { QueueUrl: url, AttributeNames: names })).Attributes ?? {};
}

export async function counts(h: Harness, url: string) {
  const a = await attrs(h, url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']);
  return { visible: Number(a.ApproximateNumberOfMessages), inflight: Number(a.ApproximateNumberOfMessagesNotVisible), delayed: Number(a.ApproximateNumberOfMessagesDelayed) };
}

function check(e: unknown, code: ErrorName, message?: string | RegExp): true {
  assert.ok(e instanceof SqsError, `expected SqsError ${code}, got ${String(e)}`);
  assert.equal(e.code, code, `error code (message: ${e.message})`);
  if (typeof message === 'string') assert.equal(e.message, message);
  else if (message) assert.match(e.message, message);
  return true;
}

/** Asserts the promise rejects with the catalogue error `code` (and, if given, the exact text). */
export async function rejects(p: Promise<unknown>, code: ErrorName, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e) => check(e, code, message));
}

/** Synchronous counterpart of `rejects` for pure rules. */
export function throws(fn: () => unknown, code: ErrorName, message?: string | RegExp): void {
  assert.throws(fn, (e) => check(e, code, message));
}

/** Lets pending promise chains (store calls, woken waiters) run; no time passes on any clock. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled yet, to show a long poll is still waiting. */
export function track<T>(p: Promise<T>): { done: () => boolean; value: Promise<T> } {
  let done = false;
  const value = p.finally(() => {
    done = true;
  });
  return { done: () => done, value };
}

export const str = (StringValue: string, DataType = 'String') => ({ DataType, StringValue });
export const bin = (bytes: string | Uint8Array, DataType = 'Binary') => ({ DataType, BinaryValue: Buffer.from(bytes).toString('base64') });

/** Drops members that are undefined: the wire omits them, so tests should not care either way. */
export const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
