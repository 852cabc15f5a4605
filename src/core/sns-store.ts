// The SNS store port and its records. Like the SQS Store it speaks domain verbs; each call is atomic
// in its engine, and time comes in as `nowMs` from the caller's clock. Engines never read a clock.
// Writes issued in one event-loop turn commit together on SQLite (group commit), which is how a
// Publish makes its outbox rows durable in the same transaction as its queue sends.

export interface TopicRecord {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  fifo: boolean;
  /** Settable attributes as the wire shows them (DisplayName, Policy, DeliveryPolicy, …). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdMs: number;
  /** SubscriptionsDeleted attribute. */
  subscriptionsDeleted: number;
}

export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  owner: string;
  protocol: string;
  endpoint: string;
  /** RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy, DeliveryPolicy, … */
  attributes: Record<string, string>;
  pendingConfirmation: boolean;
  confirmationWasAuthenticated: boolean;
  /** Token of the latest SubscriptionConfirmation (HTTP/S); ConfirmSubscription matches it. */
  token?: string;
  tokenExpiresMs?: number;
  createdMs: number;
}

export type SubscriptionPatch = Partial<Pick<SubscriptionRecord, 'attributes' | 'pendingConfirmation' | 'confirmationWasAuthenticated' | 'token' | 'tokenExpiresMs'>>;

/** One HTTP/S delivery waiting in the outbox; `body` is the JSON of the message fields. */
export interface NewDelivery {
  subscriptionArn: string;
  /** The endpoint URL (kept here: an UnsubscribeConfirmation outlives its subscription). */
  endpoint: string;
  /** Notification | SubscriptionConfirmation | UnsubscribeConfirmation */
  kind: string;
  body: string;
  nextAttemptMs: number;
  createdMs: number;
}

export interface DeliveryRecord extends NewDelivery {
  id: number;
  /** Attempts made so far. */
  attempts: number;
}

export interface FifoPublish {
  topicArn: string;
  dedupId: string;
  messageId: string;
  sequenceNumber: string;
  expiresMs: number;
}

export interface SigningKey {
  privateKeyPem: string;
  certificatePem: string;
}

export interface SnsStore {
  createTopic(topic: TopicRecord): Promise<{ topic: TopicRecord; created: boolean }>;
  getTopic(arn: string): Promise<TopicRecord | undefined>;
  /** Topics of one account and region by ARN ascending, after `afterArn`, at most `limit`. */
  listTopics(accountId: string, region: string, afterArn: string | undefined, limit: number): Promise<TopicRecord[]>;
  updateTopic(arn: string, patch: { attributes?: Record<string, string>; tags?: Record<string, string> }): Promise<void>;
  /** Removes the topic, its subscriptions and its FIFO dedup rows (idempotent). */
  deleteTopic(arn: string): Promise<void>;

  /** Creates unless (topicArn, protocol, endpoint) exists; either way returns the stored record. */
  createSubscription(sub: SubscriptionRecord): Promise<{ subscription: SubscriptionRecord; created: boolean }>;
  getSubscription(arn: string): Promise<SubscriptionRecord | undefined>;
  subscriptionsOfTopic(topicArn: string): Promise<SubscriptionRecord[]>;
  /** Subscriptions of one account and region (by topic ARN prefix) by ARN, after `afterArn`. */
  listSubscriptions(accountId: string, region: string, afterArn: string | undefined, limit: number): Promise<SubscriptionRecord[]>;
  listSubscriptionsByTopic(topicArn: string, afterArn: string | undefined, limit: number): Promise<SubscriptionRecord[]>;
  updateSubscription(arn: string, patch: SubscriptionPatch): Promise<void>;
  /** Removes it and counts it in its topic's SubscriptionsDeleted; false if it did not exist. */
  deleteSubscription(arn: string): Promise<boolean>;

  /** Appends HTTP/S deliveries; durable when the promise resolves. */
  enqueueDeliveries(deliveries: NewDelivery[]): Promise<void>;
  /**
   * Takes up to `limit` deliveries due at nowMs, skipping the listed subscriptions, and leases them:
   * nextAttemptMs becomes nowMs + leaseMs, so a crash mid-delivery makes them due again later.
   */
  claimDeliveries(nowMs: number, leaseMs: number, limit: number, skipSubscriptions: string[]): Promise<DeliveryRecord[]>;
  finishDelivery(id: number): Promise<void>;
  retryDelivery(id: number, attempts: number, nextAttemptMs: number): Promise<void>;
  /** Earliest nextAttemptMs in the outbox, if any. */
  nextDeliveryAtMs(): Promise<number | undefined>;

  /** The live dedup row for (topic, dedupId), if one has not expired by nowMs. */
  findFifoPublish(topicArn: string, dedupId: string, nowMs: number): Promise<FifoPublish | undefined>;
  /** Records the publish (and drops expired rows of the topic). */
  recordFifoPublish(publish: FifoPublish, nowMs: number): Promise<void>;
  /** Highest sequence number issued on the topic (0 if none): sequence numbers never go back. */
  lastSequenceNumber(topicArn: string): Promise<bigint>;

  getSigningKey(): Promise<SigningKey | undefined>;
  /** Stores the key unless one exists; returns whichever is stored (first writer wins). */
  putSigningKey(key: SigningKey): Promise<SigningKey>;
}
