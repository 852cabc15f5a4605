// `pier serve --config` and `--template` as real processes: a bad file stops the start with exit 2
// and names the key; a good one is applied idempotently across restarts (messages kept); the
// seed's SAM template loads as written and its function processes messages; unsupported template
// resources are listed in a warning; topics and subscriptions are applied through SNS.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ListSubscriptionsByTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ListQueueTagsCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { client, depth, FIXTURES, FN, fnMetrics, lines, waitFor } from './functions-helpers.js';
import { runPier, startPier as startPierProcess, tempDir } from './pier-process.js';

const tmp = tempDir('config');
after(() => tmp.cleanup());

test('a wrong config stops the start: exit 2, the message names file, line and key', async () => {
  const file = join(tmp.dir, 'bad.yaml');
  writeFileSync(file, 'queues:\n  orders:\n    attributes: { VisibilityTimeout: 30 }\nfunctions:\n  f:\n    handler: app.handler\n    events:\n      - queue: orderz\n');
  const r = await runPier(['serve', '--port', '0', '--storage', 'memory', '--config', file]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /bad\.yaml:8:16: functions\.f\.events\[0\]\.queue: no queue named orderz/);
  assert.doesNotMatch(r.stdout, /listening on/);
  const missing = await runPier(['serve', '--port', '0', '--storage', 'memory', '--template', join(tmp.dir, 'nope.yaml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read template .*nope\.yaml/);
});

test('a config is applied idempotently across restarts: attributes and tags updated, messages kept', async () => {
  const file = join(tmp.dir, 'pier.config.yaml');
  const dataDir = join(tmp.dir, 'data');
  const out = join(tmp.dir, 'out.jsonl');
  const write = (visibility: number, tag: string) =>
    writeFileSync(
      file,
      `queues:\n  dlq: {}\n  orders:\n    attributes: { VisibilityTimeout: ${visibility} }\n    tags: { ${tag}: yes }\n    redrivePolicy: { deadLetterQueue: dlq, maxReceiveCount: 3 }\n` +
        `  idle: {}\nfunctions:\n  worker:\n    handler: app.handler\n    codeUri: ${join(FN, 'esm')}\n    environment: { OUT_FILE: ${out} }\n    events: [{ queue: orders, enabled: false }]\n`,
    );
  write(30, 'first');
  let pier = await startPierProcess(['--port', '0', '--data-dir', dataDir, '--config', file]);
  let sqs = client(pier.endpoint);
  const url = `${pier.endpoint}/000000000000/orders`;
  await sqs.send(new SendMessageCommand({ QueueUrl: `${pier.endpoint}/000000000000/idle`, MessageBody: 'kept across restarts' }));
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'waits for an enabled mapping' }));
  sqs.destroy();
  assert.equal((await pier.stop()).code, 0);

  write(45, 'second');
  pier = await startPierProcess(['--port', '0', '--data-dir', dataDir, '--config', file]);
  sqs = client(pier.endpoint);
  const newUrl = `${pier.endpoint}/000000000000/orders`;
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: newUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] }))).Attributes!;
  assert.equal(a.VisibilityTimeout, '45');
  assert.equal(JSON.parse(a.RedrivePolicy!).maxReceiveCount, 3);
  assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: newUrl }))).Tags, { first: 'yes', second: 'yes' });
  assert.deepEqual(await depth(sqs, `${pier.endpoint}/000000000000/idle`), { visible: 1, inflight: 0 }, 'the queue was not recreated');
  assert.deepEqual(await depth(sqs, newUrl), { visible: 1, inflight: 0 }, 'a disabled mapping does not poll');
  assert.equal(lines(out).length, 0);
  const listed = (await (await fetch(`${pier.endpoint}/_pier/functions`)).json()) as { functions: { mappings: { state: string }[] }[] };
  assert.equal(listed.functions[0]!.mappings[0]!.state, 'Disabled');
  sqs.destroy();
  assert.equal((await pier.stop()).code, 0);
});

test("the seed's SAM template loads as written and its function processes messages", async () => {
  const pier = await startPierProcess(['--port', '0', '--storage', 'memory', '--template', join(FIXTURES, 'sam/template.yaml')], { env: { PIER_LOG_LEVEL: 'info' } });
  const sqs = client(pier.endpoint);
  try {
    const url = `${pier.endpoint}/000000000000/inventory-updates`;
    const orders = Array.from({ length: 25 }, (_, i) => ({ sku: `sku-${i % 3}`, qty: 1 + (i % 4) }));
    for (let i = 0; i < orders.length; i += 10) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: orders.slice(i, i + 10).map((o, j) => ({ Id: String(j), MessageBody: JSON.stringify(o) })) }));
    }
    await waitFor(async () => (await fnMetrics(pier.endpoint, 'InventoryFunction')).messagesDeleted === 25, 'all 25 orders applied', 15_000);
    assert.deepEqual(await depth(sqs, url), { visible: 0, inflight: 0 });
    const m = await fnMetrics(pier.endpoint, 'InventoryFunction');
    assert.ok(m.invocations >= 3 && m.invocations <= 25, `batches of up to 10 (${m.invocations} invocations)`);
    // A bad order fails its batch: it is kept for a retry after the 60 s visibility timeout.
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify({ sku: 'x', qty: 0 }) }));
    await waitFor(async () => (await fnMetrics(pier.endpoint, 'InventoryFunction')).errors === 1, 'the failed batch');
    assert.deepEqual(await depth(sqs, url), { visible: 0, inflight: 1 });
    const redrive = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }))).Attributes!.RedrivePolicy!;
    assert.deepEqual(JSON.parse(redrive), { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:inventory-updates-dlq', maxReceiveCount: 3 });
    // The handler's console output is logged with its request id; the unsupported role is warned about.
    await waitFor(() => /InventoryFunction applied \d+ orders from http:\/\/127\.0\.0\.1:\d+\/000000000000\/inventory-updates/.test(pier.stdout()), 'handler log line');
    assert.match(pier.stdout(), /resources not applied by Pier \(unsupported types\): InventoryFunctionRole \(AWS::IAM::Role\)/);
  } finally {
    sqs.destroy();
    await pier.stop();
  }
});

test('topics and subscriptions in a config are applied through SNS: filter policy and raw delivery', async () => {
  const file = join(tmp.dir, 'topics.yaml');
  writeFileSync(
    file,
    'queues:\n  big-orders: {}\n  all-orders: {}\ntopics:\n  order-accepted: { attributes: { DisplayName: Orders } }\nsubscriptions:\n' +
      '  - { topic: order-accepted, queue: big-orders, rawMessageDelivery: true, filterPolicy: { amount: [{ numeric: [">", 100] }] }, filterPolicyScope: MessageBody }\n' +
      '  - { topic: order-accepted, queue: all-orders }\n',
  );
  const dataDir = join(tmp.dir, 'sns-data');
  for (let start = 0; start < 2; start++) {
    // Twice on the same data: the second start finds the subscriptions and does not duplicate them.
    const pier = await startPierProcess(['--port', '0', '--data-dir', dataDir, '--config', file]);
    const sqs = client(pier.endpoint);
    const sns = new SNSClient({ endpoint: pier.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDPIERTEST', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      const TopicArn = 'arn:aws:sns:us-east-1:000000000000:order-accepted';
      const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      assert.equal(subs.Subscriptions?.length, 2, 'two subscriptions, not duplicated by a restart');
      await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ amount: 500, start }) }));
      await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ amount: 5, start }) }));
      const big = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${pier.endpoint}/000000000000/big-orders`, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
      assert.deepEqual(big.Messages?.map((m) => JSON.parse(m.Body!)), [{ amount: 500, start }], 'only the big order, delivered raw');
      await waitFor(async () => (await depth(sqs, `${pier.endpoint}/000000000000/all-orders`)).visible === 2 * (start + 1), 'both orders in the unfiltered queue');
    } finally {
      sqs.destroy();
      sns.destroy();
      await pier.stop();
    }
  }
});
