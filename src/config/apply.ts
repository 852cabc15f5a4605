// Applies declarations at start, idempotently: a queue that exists gets the declared attributes and
// tags set (never recreated, so its messages stay); dead-letter policies are set once every queue
// exists (declaration order does not matter); topics and subscriptions go through the SNS service.
// A failure names the declaration and repeats the service's own error text.
import type { RequestContext } from '../core/api.js';
import type { QueueService } from '../core/queue-service.js';
import type { SnsService } from '../core/sns-api.js';
import { DeclarationError, type Declarations, snsArn, sqsArn } from './declarations.js';

export interface ApplyTargets {
  sqs: QueueService;
  /** Absent while the server has no SNS: declaring topics is then an error. */
  sns?: SnsService;
  ctx: RequestContext;
}

export async function applyDeclarations(d: Declarations, t: ApplyTargets): Promise<void> {
  const { sqs, ctx } = t;
  const scope = { accountId: ctx.accountId, region: ctx.region };
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (e instanceof DeclarationError) throw e;
      throw new DeclarationError(`${what}: ${(e as Error).message}`);
    }
  };
  const urls = new Map<string, string>();
  for (const q of d.queues) {
    urls.set(q.name, await step(`queue ${q.name} (${q.at})`, async () => {
      const existing = await sqs.actions.GetQueueUrl(ctx, { QueueName: q.name }).catch(() => undefined);
      if (!existing) return (await sqs.actions.CreateQueue(ctx, { QueueName: q.name, Attributes: q.attributes, tags: q.tags })).QueueUrl;
      // FifoQueue cannot be set on an existing queue; a mismatch is reported by GetQueueAttributes below.
      const { FifoQueue, ...settable } = q.attributes;
      const current = await sqs.actions.GetQueueAttributes(ctx, { QueueUrl: existing.QueueUrl, AttributeNames: ['FifoQueue'] });
      if ((FifoQueue === 'true') !== (current.Attributes?.FifoQueue === 'true')) throw new Error('exists with a different queue type (FifoQueue)');
      if (Object.keys(settable).length) await sqs.actions.SetQueueAttributes(ctx, { QueueUrl: existing.QueueUrl, Attributes: settable });
      if (Object.keys(q.tags).length) await sqs.actions.TagQueue(ctx, { QueueUrl: existing.QueueUrl, Tags: q.tags });
      return existing.QueueUrl;
    }));
  }
  for (const q of d.queues) {
    if (!q.redrive) continue;
    const dlq = q.redrive.deadLetterQueue;
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq.startsWith('arn:') ? dlq : sqsArn(scope, dlq), maxReceiveCount: q.redrive.maxReceiveCount });
    await step(`queue ${q.name} (${q.at}) redrive policy`, () => sqs.actions.SetQueueAttributes(ctx, { QueueUrl: urls.get(q.name)!, Attributes: { RedrivePolicy } }));
  }
  if (d.topics.length === 0 && d.subscriptions.length === 0) return;
  const sns = t.sns;
  if (!sns) {
    const what = [...d.topics.map((x) => `topic ${x.name} (${x.at})`), ...d.subscriptions.map((x) => `subscription to ${x.topic} (${x.at})`)];
    throw new DeclarationError(`topics and subscriptions are not yet supported by this server (no SNS service): ${what.join(', ')}`);
  }
  for (const topic of d.topics) {
    await step(`topic ${topic.name} (${topic.at})`, async () => {
      const fifo = topic.attributes.FifoTopic === 'true' ? { FifoTopic: 'true' } : undefined;
      const { TopicArn } = await sns.actions.CreateTopic(ctx, { Name: topic.name, Attributes: fifo });
      for (const [AttributeName, AttributeValue] of Object.entries(topic.attributes)) {
        if (AttributeName !== 'FifoTopic') await sns.actions.SetTopicAttributes(ctx, { TopicArn, AttributeName, AttributeValue });
      }
      const Tags = Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value }));
      if (Tags.length) await sns.actions.TagResource(ctx, { ResourceArn: TopicArn, Tags });
    });
  }
  for (const s of d.subscriptions) {
    await step(`subscription of ${s.protocol} ${s.endpoint} to ${s.topic} (${s.at})`, async () => {
      const TopicArn = snsArn(scope, s.topic);
      const { Subscriptions } = await sns.actions.ListSubscriptionsByTopic(ctx, { TopicArn });
      const existing = Subscriptions.find((x) => x.Protocol === s.protocol && x.Endpoint === s.endpoint && x.SubscriptionArn.startsWith('arn:'));
      if (!existing) return void (await sns.actions.Subscribe(ctx, { TopicArn, Protocol: s.protocol, Endpoint: s.endpoint, Attributes: s.attributes, ReturnSubscriptionArn: true }));
      for (const [AttributeName, AttributeValue] of Object.entries(s.attributes)) {
        await sns.actions.SetSubscriptionAttributes(ctx, { SubscriptionArn: existing.SubscriptionArn, AttributeName, AttributeValue });
      }
    });
  }
}
