// What every action implementation shares: the store, the clock, ids and hashes, long-poll
// waiters, and the lookups every queue-addressed action starts with.
import type { ReceivedMessage, RequestContext } from './api.js';
import { err, missing, queueMissing } from './errors.js';
import type { Waiters } from './long-poll.js';
import type { MessageRef, QueueRecord } from './model.js';
import type { Crypto, Scheduler } from './ports.js';
import { parseQueueUrl, queueArn, queueUrl, regionFromQueueUrl } from './rules/queue-name.js';
import type { Store } from './store.js';

export interface Deps {
  store: Store;
  scheduler: Scheduler;
  crypto: Crypto;
  waiters: Waiters;
  /** FIFO ReceiveRequestAttemptId replays, per node: `${queueId}:${attemptId}` → what was returned. */
  attempts: Map<string, { untilMs: number; refs: MessageRef[]; messages: ReceivedMessage[] }>;
}

export async function resolveQueue(deps: Deps, ctx: RequestContext, url: string | undefined): Promise<QueueRecord> {
  if (url === undefined || url === '') throw missing('QueueUrl');
  const parsed = parseQueueUrl(url);
  if (!parsed) throw queueMissing();
  // An AWS-style host (sqs.<region>.amazonaws.com) names its region; otherwise the request's.
  const region = regionFromQueueUrl(url) ?? ctx.region;
  const queue = await deps.store.getQueue({ accountId: parsed.accountId, region, name: parsed.name });
  if (!queue) throw queueMissing();
  return queue;
}

export const urlOf = (ctx: RequestContext, q: QueueRecord) => queueUrl(ctx.baseUrl, q);
export const arnOf = (q: QueueRecord) => queueArn(q);

export const secondsAttr = (q: QueueRecord, name: string) => Number(q.attributes[name] ?? 0);

/** Reads an optional integer parameter with AWS's "Value X for parameter P is invalid" text. */
export function intParam(name: string, value: number | undefined, min: number, max: number, reason: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw err('InvalidParameterValue', `Value ${value} for parameter ${name} is invalid. Reason: ${reason}`);
  }
  return value;
}

export function required<T>(name: string, value: T | undefined | null): T {
  if (value === undefined || value === null || (value as unknown) === '') throw missing(name);
  return value;
}
