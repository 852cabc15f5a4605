// Publish durability under SIGKILL: publishers fan out to four queues and one HTTP subscriber
// (whose endpoint is down, so everything waits in the outbox) while the server is killed -9
// mid-stream. After a restart on the same data dir every acknowledged publish is in every queue
// exactly once (nothing lost, nothing doubled: clients do not retry), nothing unattempted appears,
// and the outbox delivers every acknowledged publish to the endpoint once it is back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfirmSubscriptionCommand, CreateTopicCommand, PublishCommand, SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqsClient, startPier, tempDir } from './pier-process.js';
import { startEndpoint } from './sns-endpoint.js';

const QUEUES = ['points', 'sms', 'marketing', 'audit'];
const PUBLISHERS = 4;

const snsClient = (endpoint: string) => new SNSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDCRASH', secretAccessKey: 's' }, maxAttempts: 1 });

async function drainAll(sqs: SQSClient, url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }));
    const ms = r.Messages ?? [];
    if (ms.length === 0) return bodies;
    bodies.push(...ms.map((m) => m.Body!));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: ms.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

test('no acknowledged publish is lost or doubled across kill -9, queues and outbox alike', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir('sns-crash');
  let endpoint = await startEndpoint();
  try {
    let pier = await startPier(['--port', '0', '--data-dir', dir]);
    let sns = snsClient(pier.endpoint);
    const sqs = sqsClient(pier.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'order-accepted' }));
    for (const q of QUEUES) {
      await sqs.send(new CreateQueueCommand({ QueueName: q }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:${q}`, Attributes: { RawMessageDelivery: 'true' } }));
    }
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint.url, ReturnSubscriptionArn: true }));
    const token = (JSON.parse((await endpoint.nth(1)).body) as { Token: string }).Token;
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: token }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
    await sns.send(new SetSubscriptionAttributesCommand({
      SubscriptionArn,
      AttributeName: 'DeliveryPolicy',
      AttributeValue: JSON.stringify({ healthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 100 } }),
    }));
    const port = Number(new URL(endpoint.url).port);
    await endpoint.close(); // down: HTTP deliveries pile up in the outbox

    const attempted = new Set<string>();
    const acked = new Set<string>();
    let killed = false;
    const publisher = async (p: number) => {
      for (let i = 0; !killed; i++) {
        const id = `p${p}-${i}`;
        attempted.add(id);
        try {
          await sns.send(new PublishCommand({ TopicArn, Message: id }));
          acked.add(id);
        } catch {
          if (!killed) throw new Error(`publish ${id} failed before the kill`);
        }
      }
    };
    const running = Array.from({ length: PUBLISHERS }, (_, p) => publisher(p));
    while (acked.size < 300) await new Promise((r) => setImmediate(r));
    killed = true;
    await pier.stop('SIGKILL');
    await Promise.all(running);
    sns.destroy();

    endpoint = await startEndpoint('/sns', port);
    pier = await startPier(['--port', String(pier.port), '--data-dir', dir]);
    sns = snsClient(pier.endpoint);
    for (const q of QUEUES) {
      const bodies = await drainAll(sqs, `${pier.endpoint}/000000000000/${q}`);
      const seen = new Set(bodies);
      assert.equal(seen.size, bodies.length, `${q}: no publish delivered twice`);
      for (const id of acked) assert.ok(seen.has(id), `${q}: acknowledged ${id} survived`);
      for (const id of seen) assert.ok(attempted.has(id), `${q}: ${id} was published`);
    }
    // The outbox: every acknowledged publish reaches the endpoint after the restart.
    const delivered = new Set<string>();
    for (let n = 1; [...acked].some((id) => !delivered.has(id)); n++) delivered.add((await endpoint.nth(n)).body);
    for (const id of delivered) assert.ok(attempted.has(id));
    sqs.destroy();
    sns.destroy();
    await pier.stop();
  } finally {
    await endpoint.close();
    cleanup();
  }
});
