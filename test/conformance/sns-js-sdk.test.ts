// SNS through @aws-sdk/client-sns (Query protocol, like every SDK — shared/spec §1.4) against a
// real server on the same port as SQS: the broadcast pattern end to end, both list encodings
// SNS uses (member / entry), errors as modeled exception classes, and FIFO topics to FIFO queues.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { credentials, region, startConformanceServer, type RunningServer } from './server.js';

let counter = 0;
const uniqueName = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

let server: RunningServer;
let sns: SNSClient;
let sqs: SQSClient;
before(async () => {
  server = await startConformanceServer();
  sns = new SNSClient({ endpoint: server.endpoint, region, credentials, maxAttempts: 1 });
  sqs = new SQSClient({ endpoint: server.endpoint, region, credentials, maxAttempts: 1 });
});
after(async () => {
  sns?.destroy();
  sqs?.destroy();
  await server?.close();
});

const qArn = (name: string) => `arn:aws:sqs:${region}:000000000000:${name}`;

async function queue(name: string, fifo = false): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: 'true' } : undefined }))).QueueUrl!;
}

async function receiveAll(url: string) {
  return (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }))).Messages ?? [];
}

describe('SNS via @aws-sdk/client-sns', () => {
  it('fans one event out to three queues with filter policies and raw delivery', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('order-accepted'), Attributes: { DisplayName: 'Orders' }, Tags: [{ Key: 'team', Value: 'shop' }] }));
    assert.ok(TopicArn);
    const names = ['points', 'sms', 'marketing'].map(uniqueName);
    const urls = await Promise.all(names.map((n) => queue(n)));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: qArn(names[0]!) }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: qArn(names[1]!), Attributes: { RawMessageDelivery: 'true' } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: qArn(names[2]!), Attributes: { FilterPolicy: JSON.stringify({ vip: ['true'] }) } }));

    const out = await sns.send(new PublishCommand({ TopicArn, Message: '{"order":42}', Subject: 'order', MessageAttributes: { vip: { DataType: 'String', StringValue: 'false' }, total: { DataType: 'Number', StringValue: '99.5' } } }));
    assert.ok(out.MessageId);
    const [points, smsQ, marketing] = await Promise.all(urls.map(receiveAll));
    // JS v3 checks MD5OfBody on receive, so these bodies arrived intact.
    const env = JSON.parse(points![0]!.Body!);
    assert.equal(env.Type, 'Notification');
    assert.equal(env.MessageId, out.MessageId);
    assert.equal(env.Subject, 'order');
    assert.deepEqual(env.MessageAttributes.total, { Type: 'Number', Value: '99.5' });
    assert.equal(smsQ![0]!.Body, '{"order":42}');
    assert.deepEqual(smsQ![0]!.MessageAttributes?.total, { DataType: 'Number', StringValue: '99.5' });
    assert.equal(marketing!.length, 0, 'filtered out');

    const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    assert.equal(attrs.DisplayName, 'Orders');
    assert.equal(attrs.SubscriptionsConfirmed, '3');
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags, [{ Key: 'team', Value: 'shop' }]);
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'test' }] }));
    assert.equal((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags!.length, 2);

    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!;
    assert.equal(subs.length, 3);
    const filtered = subs.find((s) => s.Endpoint === qArn(names[2]!))!;
    const sa = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: filtered.SubscriptionArn }))).Attributes!;
    assert.equal(sa.FilterPolicyScope, 'MessageAttributes');
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: filtered.SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '' }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: subs[0]!.SubscriptionArn }));
    assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions!.length, 2);
    assert.ok((await sns.send(new ListTopicsCommand({}))).Topics!.some((t) => t.TopicArn === TopicArn));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
  });

  it('PublishBatch answers per entry', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('batch') }));
    const name = uniqueName('batch-q');
    const url = await queue(name);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: qArn(name), Attributes: { RawMessageDelivery: 'true' } }));
    const out = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'one' }, { Id: 'b', Message: 'two', MessageAttributes: { k: { DataType: 'Binary', BinaryValue: new Uint8Array([2, 3, 4]) } } }] }));
    assert.deepEqual(out.Successful!.map((s) => s.Id), ['a', 'b']);
    assert.deepEqual(out.Failed, []);
    const got = await receiveAll(url);
    assert.deepEqual(got.map((m) => m.Body).sort(), ['one', 'two']);
    assert.deepEqual([...got.find((m) => m.Body === 'two')!.MessageAttributes!.k!.BinaryValue!], [2, 3, 4]);
  });

  it('errors arrive as modeled exceptions with AWS codes and statuses', async () => {
    const missing = `arn:aws:sns:${region}:000000000000:${uniqueName('missing')}`;
    await assert.rejects(sns.send(new PublishCommand({ TopicArn: missing, Message: 'x' })), (e: unknown) => {
      assert.ok(e instanceof NotFoundException);
      assert.equal(e.message, 'Topic does not exist');
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('errs') }));
    await assert.rejects(sns.send(new PublishCommand({ TopicArn, Message: '' })), (e: unknown) => e instanceof InvalidParameterException && e.message === 'Invalid parameter: Empty message');
    await assert.rejects(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: qArn('x'), Attributes: { FilterPolicy: '{"a":[{"numeric":[">",3,"<",1]}]}' } })),
      (e: unknown) => e instanceof InvalidParameterException && e.message === 'Invalid parameter: Attributes Reason: FilterPolicy: Bottom must be less than top',
    );
  });

  it('a FIFO topic delivers to a FIFO queue with group and dedup ids, in order', async () => {
    const topicName = `${uniqueName('fifo')}.fifo`;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topicName, Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    const qName = `${uniqueName('fifo-q')}.fifo`;
    const url = await queue(qName, true);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: qArn(qName), Attributes: { RawMessageDelivery: 'true' } }));
    const seqs: bigint[] = [];
    for (const m of ['first', 'second', 'third']) seqs.push(BigInt((await sns.send(new PublishCommand({ TopicArn, Message: m, MessageGroupId: 'g1' }))).SequenceNumber!));
    assert.ok(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!);
    const dup = await sns.send(new PublishCommand({ TopicArn, Message: 'first', MessageGroupId: 'g1' }));
    assert.equal(BigInt(dup.SequenceNumber!), seqs[0]);
    const got = await receiveAll(url);
    assert.deepEqual(got.map((m) => m.Body), ['first', 'second', 'third']);
    assert.equal(got[0]!.Attributes?.MessageGroupId, 'g1');
    assert.match(got[0]!.Attributes?.MessageDeduplicationId ?? '', /^[0-9a-f]{64}$/);
  });
});
