// The reference SNS engine: maps in RAM, for fast tests. Records are copied in and out so callers
// can never mutate stored state, as with a database row.
import type { DeliveryRecord, FifoPublish, NewDelivery, SigningKey, SnsStore, SubscriptionPatch, SubscriptionRecord, TopicRecord } from '../../core/sns-store.js';

const clone = <T>(v: T): T => structuredClone(v);
const byArn = (a: { arn: string }, b: { arn: string }) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
const subKey = (s: Pick<SubscriptionRecord, 'topicArn' | 'protocol' | 'endpoint'>) => `${s.topicArn}\u0000${s.protocol}\u0000${s.endpoint}`;
const topicOfSub = (arn: string) => arn.slice(0, arn.lastIndexOf(':'));

export class MemorySnsStore implements SnsStore {
  private topics = new Map<string, TopicRecord & { lastSequence: bigint }>();
  private subs = new Map<string, SubscriptionRecord>();
  private subsByKey = new Map<string, string>();
  private outbox = new Map<number, DeliveryRecord>();
  private nextDeliveryId = 1;
  private dedup = new Map<string, FifoPublish>();
  private key: SigningKey | undefined;

  async createTopic(topic: TopicRecord) {
    const existing = this.topics.get(topic.arn);
    if (existing) return { topic: this.topicOut(existing), created: false };
    this.topics.set(topic.arn, { ...clone(topic), lastSequence: 0n });
    return { topic: clone(topic), created: true };
  }

  async getTopic(arn: string) {
    const t = this.topics.get(arn);
    return t && this.topicOut(t);
  }

  async listTopics(accountId: string, region: string, afterArn: string | undefined, limit: number) {
    return [...this.topics.values()]
      .filter((t) => t.accountId === accountId && t.region === region && (afterArn === undefined || t.arn > afterArn))
      .sort(byArn)
      .slice(0, limit)
      .map((t) => this.topicOut(t));
  }

  async updateTopic(arn: string, patch: { attributes?: Record<string, string>; tags?: Record<string, string> }) {
    const t = this.topics.get(arn);
    if (!t) return;
    if (patch.attributes) t.attributes = clone(patch.attributes);
    if (patch.tags) t.tags = clone(patch.tags);
  }

  async deleteTopic(arn: string) {
    this.topics.delete(arn);
    for (const s of [...this.subs.values()]) {
      if (s.topicArn !== arn) continue;
      this.subs.delete(s.arn);
      this.subsByKey.delete(subKey(s));
    }
    for (const [k, d] of this.dedup) if (d.topicArn === arn) this.dedup.delete(k);
  }

  async createSubscription(sub: SubscriptionRecord) {
    const existingArn = this.subsByKey.get(subKey(sub));
    if (existingArn) return { subscription: clone(this.subs.get(existingArn)!), created: false };
    this.subs.set(sub.arn, clone(sub));
    this.subsByKey.set(subKey(sub), sub.arn);
    return { subscription: clone(sub), created: true };
  }

  async getSubscription(arn: string) {
    const s = this.subs.get(arn);
    return s && clone(s);
  }

  async subscriptionsOfTopic(topicArn: string) {
    return [...this.subs.values()].filter((s) => s.topicArn === topicArn).sort(byArn).map(clone);
  }

  async listSubscriptions(accountId: string, region: string, afterArn: string | undefined, limit: number) {
    const prefix = `arn:aws:sns:${region}:${accountId}:`;
    return [...this.subs.values()]
      .filter((s) => s.arn.startsWith(prefix) && (afterArn === undefined || s.arn > afterArn))
      .sort(byArn)
      .slice(0, limit)
      .map(clone);
  }

  async listSubscriptionsByTopic(topicArn: string, afterArn: string | undefined, limit: number) {
    return (await this.subscriptionsOfTopic(topicArn)).filter((s) => afterArn === undefined || s.arn > afterArn).slice(0, limit);
  }

  async updateSubscription(arn: string, patch: SubscriptionPatch) {
    const s = this.subs.get(arn);
    if (s) Object.assign(s, clone(patch));
  }

  async deleteSubscription(arn: string) {
    const s = this.subs.get(arn);
    if (!s) return false;
    this.subs.delete(arn);
    this.subsByKey.delete(subKey(s));
    const t = this.topics.get(topicOfSub(arn));
    if (t) t.subscriptionsDeleted += 1;
    return true;
  }

  async enqueueDeliveries(deliveries: NewDelivery[]) {
    for (const d of deliveries) {
      const id = this.nextDeliveryId++;
      this.outbox.set(id, { ...clone(d), id, attempts: 0 });
    }
  }

  async claimDeliveries(nowMs: number, leaseMs: number, limit: number, skipSubscriptions: string[]) {
    const skip = new Set(skipSubscriptions);
    const due = [...this.outbox.values()]
      .filter((d) => d.nextAttemptMs <= nowMs && !skip.has(d.subscriptionArn))
      .sort((a, b) => a.nextAttemptMs - b.nextAttemptMs || a.id - b.id)
      .slice(0, limit);
    for (const d of due) d.nextAttemptMs = nowMs + leaseMs;
    return due.map(clone);
  }

  async finishDelivery(id: number) {
    this.outbox.delete(id);
  }

  async retryDelivery(id: number, attempts: number, nextAttemptMs: number) {
    const d = this.outbox.get(id);
    if (d) Object.assign(d, { attempts, nextAttemptMs });
  }

  async nextDeliveryAtMs() {
    let min: number | undefined;
    for (const d of this.outbox.values()) if (min === undefined || d.nextAttemptMs < min) min = d.nextAttemptMs;
    return min;
  }

  async findFifoPublish(topicArn: string, dedupId: string, nowMs: number) {
    const d = this.dedup.get(`${topicArn}\u0000${dedupId}`);
    return d && d.expiresMs > nowMs ? clone(d) : undefined;
  }

  async recordFifoPublish(publish: FifoPublish, nowMs: number) {
    for (const [k, d] of this.dedup) if (d.topicArn === publish.topicArn && d.expiresMs <= nowMs) this.dedup.delete(k);
    this.dedup.set(`${publish.topicArn}\u0000${publish.dedupId}`, clone(publish));
    const t = this.topics.get(publish.topicArn);
    const seq = BigInt(publish.sequenceNumber);
    if (t && seq > t.lastSequence) t.lastSequence = seq;
  }

  async lastSequenceNumber(topicArn: string) {
    return this.topics.get(topicArn)?.lastSequence ?? 0n;
  }

  async getSigningKey() {
    return this.key && clone(this.key);
  }

  async putSigningKey(key: SigningKey) {
    this.key ??= clone(key);
    return clone(this.key);
  }

  private topicOut(t: TopicRecord & { lastSequence: bigint }): TopicRecord {
    const { lastSequence: _omit, ...rest } = t;
    void _omit;
    return clone(rest);
  }
}
