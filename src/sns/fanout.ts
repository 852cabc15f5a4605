// Publish fan-out. Every write a publish makes — the SQS sends of every matching queue
// subscription (through QueueService), the HTTP/S outbox rows, the FIFO dedup row — is handed to
// the PublishWriter, which issues them in one event-loop turn, so on SQLite they share one
// group-commit transaction, and the publish is acknowledged only once all of them are committed.
// A send a queue refuses (queue deleted, message too large) goes to the subscription's
// RedrivePolicy DLQ, else it is dropped and logged; a storage failure fails the Publish (the client
// retries: at-least-once).
import { createHash } from 'node:crypto';
import type { RequestContext, SendEntry } from '../core/api.js';
import type { MessageAttributes } from '../core/model.js';
import type { NewDelivery } from '../core/sns-store.js';
import type { SnsDeps } from './deps.js';
import { notificationJson, stringToSignNotification, unsubscribeUrl, type NotificationFields, type Signature } from './envelope.js';
import { attributeFacts, bodyFacts, matches, type Facts } from './filter-match.js';
import { messageFor, type PreparedPublish } from './publish.js';
import type { CachedSubscription, CachedTopic, QueueTarget } from './topic-cache.js';
import type { OutboxPayload } from './http-delivery.js';
import type { FifoSequencer } from './fifo-sequencer.js';
import type { PublishWriter, Send } from './publish-writer.js';

export interface PublishOutcome {
  MessageId: string;
  SequenceNumber?: string;
}

export async function fanOut(deps: SnsDeps, writer: PublishWriter, fifo: FifoSequencer, ctx: RequestContext, cached: CachedTopic, items: PreparedPublish[]): Promise<PublishOutcome[]> {
  const topic = cached.topic;
  const nowMs = deps.clock.now();
  const timestamp = new Date(nowMs).toISOString();
  const version = topic.attributes.SignatureVersion ?? '1';
  const outcomes: PublishOutcome[] = [];
  const sends: Send[] = [];
  const outbox: NewDelivery[] = [];
  const writes: (() => Promise<unknown>)[] = [];

  // 1. Decide: FIFO claims (their dedup rows are written now) and which subscriptions match.
  const planned: { item: PreparedPublish; dedupId?: string; fields: (protocol: string) => NotificationFields; targets: CachedSubscription[] }[] = [];
  for (const item of items) {
    const messageId = deps.uuid();
    let sequenceNumber: string | undefined;
    let dedupId: string | undefined;
    if (topic.fifo) {
      dedupId = item.dedupId ?? createHash('sha256').update(item.rawMessage).digest('hex');
      const claim = await fifo.claim(topic.arn, dedupId, messageId, nowMs);
      if (claim.duplicate) {
        // Within 5 minutes a repeated dedup id returns the original ids and delivers nothing (AWS-recorded).
        outcomes.push({ MessageId: claim.messageId, SequenceNumber: claim.sequenceNumber });
        continue;
      }
      sequenceNumber = claim.sequenceNumber;
      writes.push(claim.commit);
    }
    outcomes.push(sequenceNumber === undefined ? { MessageId: messageId } : { MessageId: messageId, SequenceNumber: sequenceNumber });
    const facts = new Map<string, Facts | undefined>();
    const factsFor = (s: CachedSubscription): Facts | undefined => {
      const key = s.policy!.scope === 'MessageAttributes' ? '' : s.record.protocol;
      if (!facts.has(key)) facts.set(key, key === '' ? attributeFacts(item.attributes) : bodyFacts(messageFor(item, s.record.protocol)));
      return facts.get(key);
    };
    const fields = (protocol: string): NotificationFields => {
      const f: NotificationFields = { messageId, topicArn: topic.arn, message: messageFor(item, protocol), timestamp };
      if (item.subject !== undefined) f.subject = item.subject;
      if (sequenceNumber !== undefined) f.sequenceNumber = sequenceNumber;
      if (Object.keys(item.attributes).length > 0) f.messageAttributes = item.attributes;
      return f;
    };
    const targets = cached.subscriptions.filter((s) => !s.record.pendingConfirmation && (!s.policy || matches(s.policy, factsFor(s))));
    planned.push({ item, dedupId, fields, targets });
  }

  // 2. Sign the envelopes queues get (one signature per publish, off the event loop). FIFO
  // envelopes are unsigned (AWS-recorded), so a FIFO publish never waits here and its dedup row
  // stays in the same turn as its sends.
  const needsSignature = !topic.fifo && planned.some((p) => p.targets.some((s) => s.record.protocol === 'sqs' && !s.raw));
  const signatures = needsSignature
    ? await Promise.all(
        planned.map(async (p): Promise<Signature> => {
          const f = p.fields('sqs');
          return { version, signature: await deps.signer.signAsync(stringToSignNotification(f), version), certUrl: deps.signer.certificateUrl(ctx.baseUrl) };
        }),
      )
    : [];

  // 3. Build every delivery.
  planned.forEach((p, i) => {
    for (const s of p.targets) {
      const protocol = s.record.protocol;
      if (protocol === 'sqs') {
        if (!s.queue) continue;
        const f = p.fields('sqs');
        const body = s.raw ? f.message : notificationJson(f, signatures[i], unsubscribeUrl(ctx.baseUrl, s.record.arn));
        sends.push({ sub: s, queue: s.queue, entry: sqsEntry(body, s.raw ? p.item.attributes : undefined, s.queue, topic.fifo, p.item.groupId, p.dedupId) });
      } else if (protocol === 'http' || protocol === 'https') {
        const payload: OutboxPayload = { fields: p.fields(protocol), raw: s.raw, baseUrl: ctx.baseUrl, version, topicArn: topic.arn };
        outbox.push({ subscriptionArn: s.record.arn, endpoint: s.record.endpoint, kind: 'Notification', body: JSON.stringify(payload), nextAttemptMs: nowMs, createdMs: nowMs });
      }
    }
  });

  // The writer issues every write of this publish in one turn (one group commit), coalescing the
  // sends of concurrent publishes to the same queue into SendMessageBatch calls.
  if (outbox.length > 0) writes.push(() => deps.store.enqueueDeliveries(outbox));
  const failures = await writer.submit(ctx.senderId, sends, writes);
  if (outbox.length > 0) deps.wakeDeliverer();

  // Refused sends: to the subscription's DLQ, awaited too, so the publish covers them.
  const redriven = failures.filter((f) => f.sub.dlq).map((f) => ({ sub: f.sub, queue: f.sub.dlq!, entry: dlqEntry(f.entry, f.sub.dlq!) }));
  for (const f of failures.filter((x) => !x.sub.dlq)) {
    deps.log.warn({ subscription: f.sub.record.arn, error: f.error }, 'sns: queue refused a delivery and the subscription has no DLQ; dropped');
  }
  const lost = await writer.submit(ctx.senderId, redriven, []);
  for (const f of lost) deps.log.error({ subscription: f.sub.record.arn, error: f.error }, 'sns: the DLQ refused a delivery too; dropped');
  return outcomes;
}

function sqsEntry(body: string, attributes: MessageAttributes | undefined, queue: QueueTarget, fifoTopic: boolean, groupId: string | undefined, dedupId: string | undefined): SendEntry {
  const entry: SendEntry = { MessageBody: body };
  if (attributes && Object.keys(attributes).length > 0) entry.MessageAttributes = attributes;
  if (fifoTopic && queue.fifo) {
    entry.MessageGroupId = groupId;
    entry.MessageDeduplicationId = dedupId;
  } else if (!fifoTopic && !queue.fifo && groupId !== undefined) {
    entry.MessageGroupId = groupId;
  }
  return entry;
}

/** The same message for a DLQ, keeping group and dedup ids only if the DLQ is FIFO. */
function dlqEntry(entry: SendEntry, dlq: QueueTarget): SendEntry {
  const out: SendEntry = { MessageBody: entry.MessageBody, MessageAttributes: entry.MessageAttributes };
  if (dlq.fifo) Object.assign(out, { MessageGroupId: entry.MessageGroupId, MessageDeduplicationId: entry.MessageDeduplicationId });
  else if (entry.MessageGroupId !== undefined && entry.MessageDeduplicationId === undefined) out.MessageGroupId = entry.MessageGroupId;
  return out;
}
