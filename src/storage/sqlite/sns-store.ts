// SNS on the embedded engine. It shares SqliteStore's connection and GroupCommit, so a Publish's
// outbox rows and dedup row commit in the same transaction (and fsync) as its queue sends when they
// are issued in the same event-loop turn. Reads run directly on committed data.
import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { DeliveryRecord, FifoPublish, NewDelivery, SigningKey, SnsStore, SubscriptionPatch, SubscriptionRecord, TopicRecord } from '../../core/sns-store.js';
import type { GroupCommit } from './group-commit.js';
import { namedStatements } from './sql-files.js';

interface TopicRow {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  fifo: number;
  attributes: string;
  tags: string;
  created_ms: number;
  subscriptions_deleted: number;
}

interface SubRow {
  arn: string;
  topic_arn: string;
  owner: string;
  protocol: string;
  endpoint: string;
  attributes: string;
  pending: number;
  authenticated: number;
  token: string | null;
  token_expires_ms: number | null;
  created_ms: number;
}

interface DeliveryRow {
  id: number;
  subscription_arn: string;
  endpoint: string;
  kind: string;
  body: string;
  attempts: number;
  next_attempt_ms: number;
  created_ms: number;
}

const toTopic = (r: TopicRow): TopicRecord => ({
  arn: r.arn,
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  fifo: r.fifo === 1,
  attributes: JSON.parse(r.attributes),
  tags: JSON.parse(r.tags),
  createdMs: r.created_ms,
  subscriptionsDeleted: r.subscriptions_deleted,
});

function toSub(r: SubRow): SubscriptionRecord {
  const s: SubscriptionRecord = {
    arn: r.arn,
    topicArn: r.topic_arn,
    owner: r.owner,
    protocol: r.protocol,
    endpoint: r.endpoint,
    attributes: JSON.parse(r.attributes),
    pendingConfirmation: r.pending === 1,
    confirmationWasAuthenticated: r.authenticated === 1,
    createdMs: r.created_ms,
  };
  if (r.token !== null) s.token = r.token;
  if (r.token_expires_ms !== null) s.tokenExpiresMs = r.token_expires_ms;
  return s;
}

const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id,
  subscriptionArn: r.subscription_arn,
  endpoint: r.endpoint,
  kind: r.kind,
  body: r.body,
  attempts: r.attempts,
  nextAttemptMs: r.next_attempt_ms,
  createdMs: r.created_ms,
});

const subParams = (s: SubscriptionRecord) => ({
  arn: s.arn,
  topicArn: s.topicArn,
  owner: s.owner,
  protocol: s.protocol,
  endpoint: s.endpoint,
  attributes: JSON.stringify(s.attributes),
  pending: s.pendingConfirmation ? 1 : 0,
  authenticated: s.confirmationWasAuthenticated ? 1 : 0,
  token: s.token ?? null,
  tokenExpiresMs: s.tokenExpiresMs ?? null,
  createdMs: s.createdMs,
});

const ALL = 2 ** 31;

export class SqliteSnsStore implements SnsStore {
  private readonly sql: Record<string, Statement>;
  private readonly writes: GroupCommit;

  constructor(shared: { db: Database.Database; writes: GroupCommit }) {
    this.writes = shared.writes;
    this.sql = {};
    for (const [name, text] of Object.entries(namedStatements('sns.sql'))) this.sql[name] = shared.db.prepare(text);
  }

  createTopic(topic: TopicRecord) {
    return this.writes.run(() => {
      const existing = this.sql.topicByArn.get(topic.arn) as TopicRow | undefined;
      if (existing) return { topic: toTopic(existing), created: false };
      this.sql.insertTopic.run({
        ...topic,
        fifo: topic.fifo ? 1 : 0,
        attributes: JSON.stringify(topic.attributes),
        tags: JSON.stringify(topic.tags),
      });
      return { topic, created: true };
    });
  }

  async getTopic(arn: string) {
    const r = this.sql.topicByArn.get(arn) as TopicRow | undefined;
    return r && toTopic(r);
  }

  async listTopics(accountId: string, region: string, afterArn: string | undefined, limit: number) {
    return (this.sql.listTopics.all({ accountId, region, after: afterArn ?? '', limit }) as TopicRow[]).map(toTopic);
  }

  updateTopic(arn: string, patch: { attributes?: Record<string, string>; tags?: Record<string, string> }) {
    return this.writes.run(() => {
      this.sql.updateTopic.run({
        arn,
        attributes: patch.attributes ? JSON.stringify(patch.attributes) : null,
        tags: patch.tags ? JSON.stringify(patch.tags) : null,
      });
    });
  }

  deleteTopic(arn: string) {
    return this.writes.run(() => {
      this.sql.deleteTopicSubscriptions.run(arn);
      this.sql.deleteTopicDedup.run(arn);
      this.sql.deleteTopic.run(arn);
    });
  }

  createSubscription(sub: SubscriptionRecord) {
    return this.writes.run(() => {
      const existing = this.sql.subscriptionByKey.get({ topicArn: sub.topicArn, protocol: sub.protocol, endpoint: sub.endpoint }) as SubRow | undefined;
      if (existing) return { subscription: toSub(existing), created: false };
      this.sql.insertSubscription.run(subParams(sub));
      return { subscription: sub, created: true };
    });
  }

  async getSubscription(arn: string) {
    const r = this.sql.subscriptionByArn.get(arn) as SubRow | undefined;
    return r && toSub(r);
  }

  async subscriptionsOfTopic(topicArn: string) {
    return (this.sql.subscriptionsOfTopic.all({ topicArn, after: '', limit: ALL }) as SubRow[]).map(toSub);
  }

  async listSubscriptions(accountId: string, region: string, afterArn: string | undefined, limit: number) {
    const prefix = `arn:aws:sns:${region}:${accountId}:`;
    const prefixEnd = `${prefix.slice(0, -1)};`;
    return (this.sql.listSubscriptions.all({ prefix, prefixEnd, after: afterArn ?? '', limit }) as SubRow[]).map(toSub);
  }

  async listSubscriptionsByTopic(topicArn: string, afterArn: string | undefined, limit: number) {
    return (this.sql.subscriptionsOfTopic.all({ topicArn, after: afterArn ?? '', limit }) as SubRow[]).map(toSub);
  }

  updateSubscription(arn: string, patch: SubscriptionPatch) {
    return this.writes.run(() => {
      const setToken = 'token' in patch || 'tokenExpiresMs' in patch;
      this.sql.updateSubscription.run({
        arn,
        attributes: patch.attributes ? JSON.stringify(patch.attributes) : null,
        pending: patch.pendingConfirmation === undefined ? null : patch.pendingConfirmation ? 1 : 0,
        authenticated: patch.confirmationWasAuthenticated === undefined ? null : patch.confirmationWasAuthenticated ? 1 : 0,
        setToken: setToken ? 1 : 0,
        token: patch.token ?? null,
        tokenExpiresMs: patch.tokenExpiresMs ?? null,
      });
    });
  }

  deleteSubscription(arn: string) {
    return this.writes.run(() => {
      const r = this.sql.subscriptionByArn.get(arn) as SubRow | undefined;
      if (!r) return false;
      this.sql.deleteSubscription.run(arn);
      this.sql.countDeleted.run(r.topic_arn);
      return true;
    });
  }

  enqueueDeliveries(deliveries: NewDelivery[]) {
    return this.writes.run(() => {
      for (const d of deliveries) this.sql.insertDelivery.run(d);
    });
  }

  claimDeliveries(nowMs: number, leaseMs: number, limit: number, skipSubscriptions: string[]) {
    return this.writes.run(() => {
      const rows = this.sql.dueDeliveries.all({ nowMs, limit, skip: JSON.stringify(skipSubscriptions) }) as DeliveryRow[];
      for (const r of rows) this.sql.leaseDelivery.run({ id: r.id, until: nowMs + leaseMs });
      return rows.map(toDelivery);
    });
  }

  finishDelivery(id: number) {
    return this.writes.run(() => {
      this.sql.finishDelivery.run(id);
    });
  }

  retryDelivery(id: number, attempts: number, nextAttemptMs: number) {
    return this.writes.run(() => {
      this.sql.retryDelivery.run({ id, attempts, nextAttemptMs });
    });
  }

  async nextDeliveryAtMs() {
    const r = this.sql.nextDelivery.get() as { at: number | null };
    return r.at ?? undefined;
  }

  async findFifoPublish(topicArn: string, dedupId: string, nowMs: number) {
    const r = this.sql.findDedup.get({ topicArn, dedupId, nowMs }) as
      | { topic_arn: string; dedup_id: string; message_id: string; sequence_number: string; expires_ms: number }
      | undefined;
    return r && { topicArn: r.topic_arn, dedupId: r.dedup_id, messageId: r.message_id, sequenceNumber: r.sequence_number, expiresMs: r.expires_ms };
  }

  recordFifoPublish(publish: FifoPublish, nowMs: number) {
    return this.writes.run(() => {
      this.sql.expireDedup.run({ topicArn: publish.topicArn, nowMs });
      this.sql.upsertDedup.run(publish);
      this.sql.bumpSequence.run({ topicArn: publish.topicArn, sequenceNumber: publish.sequenceNumber });
    });
  }

  async lastSequenceNumber(topicArn: string) {
    const r = this.sql.lastSequence.get(topicArn) as { last_sequence: string } | undefined;
    return BigInt(r?.last_sequence ?? '0');
  }

  async getSigningKey() {
    const r = this.sql.getKey.get() as { private_key_pem: string; certificate_pem: string } | undefined;
    return r && { privateKeyPem: r.private_key_pem, certificatePem: r.certificate_pem };
  }

  putSigningKey(key: SigningKey) {
    return this.writes.run(() => {
      this.sql.putKey.run(key);
      const r = this.sql.getKey.get() as { private_key_pem: string; certificate_pem: string };
      return { privateKeyPem: r.private_key_pem, certificatePem: r.certificate_pem };
    });
  }
}
