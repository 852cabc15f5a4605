// A server restarted on the same data dir keeps queues, attributes, tags and messages: first after
// a graceful SIGTERM (everything, visibility included), then after a SIGKILL (everything except
// that visibility state may reset, as SQS allows).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { sqsClient, startPier, tempDir, type PierProcess } from './pier-process.js';

interface Snapshot {
  queueNames: string[];
  attributes: Record<string, Record<string, string>>;
  tags: Record<string, Record<string, string>>;
}

const nameOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

async function snapshot(client: SQSClient): Promise<Snapshot> {
  const { QueueUrls = [] } = await client.send(new ListQueuesCommand({}));
  const snap: Snapshot = { queueNames: QueueUrls.map(nameOf).sort(), attributes: {}, tags: {} };
  for (const url of QueueUrls) {
    snap.attributes[nameOf(url)] = (await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};
    snap.tags[nameOf(url)] = (await client.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {};
  }
  return snap;
}

const withoutCounts = (s: Snapshot): Snapshot => ({
  ...s,
  attributes: Object.fromEntries(
    Object.entries(s.attributes).map(([q, a]) => [q, Object.fromEntries(Object.entries(a).filter(([k]) => !k.startsWith('ApproximateNumberOf')))]),
  ),
});

/** Everything about a message that must survive a restart, with binary values as base64. */
function essence(m: Message) {
  const attrs = Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {}).map(([k, v]: [string, MessageAttributeValue]) => [
      k,
      { DataType: v.DataType, StringValue: v.StringValue, BinaryValue: v.BinaryValue && Buffer.from(v.BinaryValue).toString('base64') },
    ]),
  );
  return {
    MessageId: m.MessageId,
    Body: m.Body,
    MD5OfBody: m.MD5OfBody,
    MD5OfMessageAttributes: m.MD5OfMessageAttributes,
    MessageAttributes: attrs,
    AWSTraceHeader: m.Attributes?.AWSTraceHeader,
    SentTimestamp: m.Attributes?.SentTimestamp,
  };
}

/** Receives every visible message once (they stay invisible for 60 s). */
async function receiveAll(client: SQSClient, queueUrl: string): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const got = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (!got.Messages?.length) return out.sort((a, b) => a.Body!.localeCompare(b.Body!));
    out.push(...got.Messages);
  }
}

/** Makes received messages visible again. */
async function release(client: SQSClient, queueUrl: string, messages: Message[]): Promise<void> {
  for (const m of messages) await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
}

test('queues, attributes, tags and messages survive a graceful restart and a SIGKILL', { timeout: 30_000 }, async (t) => {
  const { dir, cleanup } = tempDir('restart');
  t.after(cleanup);
  let pier: PierProcess = await startPier(['--port', '0', '--data-dir', dir]);
  t.after(() => pier.stop('SIGKILL'));
  let client = sqsClient(pier.endpoint);
  const open = async (signal: NodeJS.Signals) => {
    client.destroy();
    const exit = await pier.stop(signal);
    assert.deepEqual(exit, signal === 'SIGKILL' ? { code: null, signal: 'SIGKILL' } : { code: 0, signal: null });
    pier = await startPier(['--port', '0', '--data-dir', dir]);
    client = sqsClient(pier.endpoint);
    const url = async (name: string) => (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
    return url;
  };
  t.after(() => client.destroy());

  // --- build some state ---
  const { QueueUrl: dlqUrl } = await client.send(new CreateQueueCommand({ QueueName: 'orders-dlq', tags: { team: 'payments' } }));
  const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 's1', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'SQS:SendMessage', Resource: 'arn:aws:sqs:us-east-1:000000000000:orders' }],
  });
  const created = await client.send(
    new CreateQueueCommand({
      QueueName: 'orders',
      Attributes: {
        VisibilityTimeout: '45',
        MessageRetentionPeriod: '86400',
        MaximumMessageSize: '65536',
        ReceiveMessageWaitTimeSeconds: '5',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 4 }),
        Policy: policy,
      },
      tags: { team: 'payments', env: 'test', 'cost-centre': '42' },
    }),
  );
  const ordersUrl = created.QueueUrl!;
  await client.send(new CreateQueueCommand({ QueueName: 'dropped' }));
  await client.send(new DeleteQueueCommand({ QueueUrl: (await client.send(new GetQueueUrlCommand({ QueueName: 'dropped' }))).QueueUrl }));

  const sent = await client.send(
    new SendMessageBatchCommand({
      QueueUrl: ordersUrl,
      Entries: [
        {
          Id: 'a',
          MessageBody: 'a: order 1 ✓',
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: 'order' },
            qty: { DataType: 'Number', StringValue: '3' },
            blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 250, 255]) },
            note: { DataType: 'String.custom', StringValue: 'π' },
          },
        },
        { Id: 'b', MessageBody: 'b: order 2', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } } },
        { Id: 'c', MessageBody: 'c: order 3' },
        { Id: 'd', MessageBody: 'd: delayed', DelaySeconds: 900 },
      ],
    }),
  );
  assert.equal(sent.Successful?.length, 4);
  await client.send(new SendMessageCommand({ QueueUrl: ordersUrl, MessageBody: 'e: in flight' }));
  await client.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: 'dead letter' }));

  // Take 'e' in flight: receive visible messages, keep 'e' invisible and let the others come back.
  const first = await receiveAll(client, ordersUrl);
  assert.deepEqual(first.map((m) => m.Body), ['a: order 1 ✓', 'b: order 2', 'c: order 3', 'e: in flight']);
  const inflight = first.find((m) => m.Body === 'e: in flight')!;
  await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: ordersUrl, ReceiptHandle: inflight.ReceiptHandle, VisibilityTimeout: 900 }));
  await release(client, ordersUrl, first.filter((x) => x !== inflight));
  const before = await snapshot(client);
  assert.deepEqual(before.queueNames, ['orders', 'orders-dlq']);
  assert.equal(before.attributes.orders!.ApproximateNumberOfMessages, '3');
  assert.equal(before.attributes.orders!.ApproximateNumberOfMessagesNotVisible, '1');
  assert.equal(before.attributes.orders!.ApproximateNumberOfMessagesDelayed, '1');

  // --- graceful restart: everything identical, visibility and receipt handles included ---
  let url = await open('SIGTERM');
  assert.deepEqual(await snapshot(client), before);
  assert.equal(await url('orders'), ordersUrl.replace(/:\d+\//, `:${pier.port}/`));
  const afterTerm = await receiveAll(client, await url('orders'));
  assert.deepEqual(afterTerm.map(essence), first.filter((m) => m !== inflight).map(essence));
  assert.deepEqual(afterTerm.map((m) => m.Attributes?.ApproximateReceiveCount), ['2', '2', '2'], 'receive counts kept');
  const dead = await receiveAll(client, await url('orders-dlq'));
  assert.deepEqual(dead.map((m) => m.Body), ['dead letter']);
  // The receipt handle issued before the restart is still the message's current one.
  await release(client, await url('orders'), [...afterTerm, inflight]);
  const back = await receiveAll(client, await url('orders'));
  assert.deepEqual(back.map(essence), first.map(essence));
  await release(client, await url('orders'), back);

  // --- change things, then SIGKILL: the changes are durable too ---
  const orders = await url('orders');
  await client.send(new SetQueueAttributesCommand({ QueueUrl: orders, Attributes: { VisibilityTimeout: '50', DelaySeconds: '1' } }));
  await client.send(new UntagQueueCommand({ QueueUrl: orders, TagKeys: ['env'] }));
  await client.send(new TagQueueCommand({ QueueUrl: orders, Tags: { owner: 'ops' } }));
  await client.send(new SendMessageCommand({ QueueUrl: orders, MessageBody: 'f: after the change', DelaySeconds: 0 }));
  const changed = await snapshot(client);
  assert.equal(changed.attributes.orders!.VisibilityTimeout, '50');
  assert.deepEqual(changed.tags.orders, { team: 'payments', 'cost-centre': '42', owner: 'ops' });

  url = await open('SIGKILL');
  const afterKill = await snapshot(client);
  assert.deepEqual(withoutCounts(afterKill), withoutCounts(changed));
  const a = afterKill.attributes.orders!;
  assert.equal(Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible), 5, 'a, b, c, e, f are all there');
  assert.equal(a.ApproximateNumberOfMessagesDelayed, '1', 'd is still delayed');
  const all = await receiveAll(client, await url('orders'));
  const f = all.find((m) => m.Body === 'f: after the change');
  assert.ok(f, 'the message sent just before the kill is there');
  assert.deepEqual(all.filter((m) => m !== f).map(essence), back.map(essence));
});
