// Topics with their subscriptions and compiled filter policies, kept in memory so a Publish costs
// no store reads. Every SNS write that changes a topic or its subscriptions invalidates its entry.
// (On a shared database with several Pier nodes, entries also expire after `ttlMs`.)
import type { Clock } from '../core/ports.js';
import type { SnsStore, SubscriptionRecord, TopicRecord } from '../core/sns-store.js';
import { parseQueueArn } from './arns.js';
import { compileFilterPolicy, type CompiledPolicy, type Scope } from './filter-policy.js';

export interface QueueTarget {
  accountId: string;
  region: string;
  name: string;
  fifo: boolean;
}

export interface CachedSubscription {
  record: SubscriptionRecord;
  raw: boolean;
  policy?: CompiledPolicy;
  /** The queue of an sqs subscription. */
  queue?: QueueTarget;
  /** RedrivePolicy's deadLetterTargetArn, as a queue. */
  dlq?: QueueTarget;
}

export interface CachedTopic {
  topic: TopicRecord;
  subscriptions: CachedSubscription[];
}

export const queueTarget = (arn: string | undefined): QueueTarget | undefined => {
  const q = arn === undefined ? undefined : parseQueueArn(arn);
  return q && { ...q, fifo: q.name.endsWith('.fifo') };
};

export function compileSubscription(record: SubscriptionRecord): CachedSubscription {
  const a = record.attributes;
  const out: CachedSubscription = { record, raw: a.RawMessageDelivery === 'true' };
  if (a.FilterPolicy) out.policy = compileFilterPolicy(a.FilterPolicy, (a.FilterPolicyScope ?? 'MessageAttributes') as Scope, false);
  if (record.protocol === 'sqs') out.queue = queueTarget(record.endpoint);
  if (a.RedrivePolicy) {
    try {
      out.dlq = queueTarget((JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn);
    } catch {
      // validated when set; an unreadable one means no DLQ
    }
  }
  return out;
}

export class TopicCache {
  private entries = new Map<string, { atMs: number; value: Promise<CachedTopic | undefined> }>();

  constructor(
    private readonly store: SnsStore,
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
  ) {}

  get(arn: string): Promise<CachedTopic | undefined> {
    const hit = this.entries.get(arn);
    if (hit && this.clock.now() - hit.atMs < this.ttlMs) return hit.value;
    const value = this.load(arn);
    this.entries.set(arn, { atMs: this.clock.now(), value });
    value.catch(() => this.entries.delete(arn));
    return value;
  }

  invalidate(arn: string): void {
    this.entries.delete(arn);
  }

  private async load(arn: string): Promise<CachedTopic | undefined> {
    const topic = await this.store.getTopic(arn);
    if (!topic) return undefined;
    const subs = await this.store.subscriptionsOfTopic(arn);
    return { topic, subscriptions: subs.map(compileSubscription) };
  }
}
