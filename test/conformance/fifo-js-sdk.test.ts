// FIFO conformance through the real AWS SDK for JavaScript v3 (@aws-sdk/client-env.sqs, AWS JSON 1.0):
// the seed's inventory pattern end to end — inventory-updates.fifo with MessageGroupId = SKU,
// content-based and explicit deduplication, ReceiveRequestAttemptId retries, a FIFO dead-letter
// queue after 3 failed receives, and an operator's StartMessageMoveTask redrive back to the source —
// with the SDK's own MD5 checks on (it recomputes MD5OfMessageBody / MD5OfBody and throws on a
// mismatch). The steps build on each other, in order. No mocks, no timing assertions: the move
// task runs on the server's real clock, so ListMessageMoveTasks is polled with a generous bound.
import {
  CancelMessageMoveTaskCommand, ChangeMessageVisibilityCommand, CreateQueueCommand, DeleteMessageBatchCommand,
  DeleteMessageCommand, GetQueueAttributesCommand, ListDeadLetterSourceQueuesCommand, ListMessageMoveTasksCommand,
  ReceiveMessageCommand, ResourceNotFoundException, SendMessageBatchCommand, SendMessageCommand,
  SQSServiceException, StartMessageMoveTaskCommand, type Message, type ReceiveMessageCommandInput,
} from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { md5Hex } from './attribute-md5.js';
import { useSqsServer } from './server.js';

const env = useSqsServer();

const SKUS = ['SKU-1001', 'SKU-1002', 'SKU-1003', 'SKU-1004'];
const UPDATES = 5;
const MAX_RECEIVE_COUNT = 3;
const SOURCE_ARN = 'arn:aws:sqs:us-east-1:000000000000:inventory-updates.fifo';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:inventory-updates-dlq.fifo';

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const bodyOf = (sku: string, update: number) => JSON.stringify({ delta: (update + 1) * (update % 2 ? -1 : 1), sku, update });

const receive = async (input: ReceiveMessageCommandInput): Promise<Message[]> => (await env.sqs.send(new ReceiveMessageCommand(input))).Messages ?? [];

async function counts(QueueUrl: string): Promise<[string | undefined, string | undefined]> {
  const a = (await env.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes ?? {};
  return [a.ApproximateNumberOfMessages, a.ApproximateNumberOfMessagesNotVisible];
}

/** SequenceNumber (spec §5.4): a decimal string, strictly increasing within its message group. */
function checkSequence(last: Map<string, bigint>, group: string, seq: string | undefined): void {
  assert.match(seq ?? '', /^\d{1,40}$/, `SequenceNumber of ${group}`);
  const n = BigInt(seq!);
  const prev = last.get(group);
  assert.ok(prev === undefined || n > prev, `${group}: SequenceNumber ${n} after ${prev}`);
  last.set(group, n);
}

async function sqsError(fn: () => Promise<unknown>): Promise<SQSServiceException & { Code?: string; Type?: string }> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof SQSServiceException, `expected an SQSServiceException, got ${String(e)}`);
    return e as SQSServiceException & { Code?: string; Type?: string };
  }
  assert.fail('expected the call to fail');
}

// Modeled errors take their `__type` shape's name (ResourceNotFoundException); un-modeled ones
// are named after the query code from `x-amzn-query-error` (InvalidParameterValue), as on AWS.
function assertError(e: SQSServiceException & { Code?: string; Type?: string }, name: string, code: string, status: number, message: string) {
  assert.equal(e.name, name);
  assert.equal(e.Code, code, 'query-compatible Code from x-amzn-query-error');
  assert.equal(e.Type, 'Sender');
  assert.equal(e.$metadata.httpStatusCode, status);
  assert.equal(e.message, message);
}

describe('@aws-sdk/client-env.sqs FIFO (inventory-updates.fifo)', () => {
  let url: string;
  let dlqUrl: string;
  const sent = new Map<string, string>(); // `${sku}/${update}` → MessageId
  let firstBatch: Message[] = [];
  let poison: { id: string; body: string } | undefined;

  it('has the SDK MD5 checks switched on', () => {
    assert.equal(typeof env.sqs.config.md5, 'function', 'md5 is the hash the SDK verifies bodies with');
  });

  it('creates the FIFO queue with a FIFO dead-letter queue (maxReceiveCount 3)', async () => {
    dlqUrl = (await env.sqs.send(new CreateQueueCommand({ QueueName: 'inventory-updates-dlq.fifo', Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
    url = (await env.sqs.send(new CreateQueueCommand({
      QueueName: 'inventory-updates.fifo',
      Attributes: {
        FifoQueue: 'true',
        ContentBasedDeduplication: 'true',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: MAX_RECEIVE_COUNT }),
      },
    }))).QueueUrl!;
    assert.equal(url, `${env.server.endpoint}/000000000000/inventory-updates.fifo`);
    const a = (await env.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};
    assert.deepEqual(
      { FifoQueue: a.FifoQueue, ContentBasedDeduplication: a.ContentBasedDeduplication, DeduplicationScope: a.DeduplicationScope, FifoThroughputLimit: a.FifoThroughputLimit, QueueArn: a.QueueArn },
      { FifoQueue: 'true', ContentBasedDeduplication: 'true', DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue', QueueArn: SOURCE_ARN },
    );
    assert.deepEqual(JSON.parse(a.RedrivePolicy!), { deadLetterTargetArn: DLQ_ARN, maxReceiveCount: MAX_RECEIVE_COUNT });
    assert.deepEqual((await env.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }))).queueUrls, [url]);
  });

  it('sends stock updates grouped by SKU: SequenceNumber per message, batch results in request order', async () => {
    const last = new Map<string, bigint>();
    for (const sku of SKUS) {
      const body = bodyOf(sku, 0);
      const r = await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: sku, MessageDeduplicationId: `${sku}-0` }));
      assert.equal(r.MD5OfMessageBody, md5Hex(body));
      checkSequence(last, sku, r.SequenceNumber);
      sent.set(`${sku}/0`, r.MessageId!);
    }
    for (let n = 1; n < UPDATES; n++) {
      // Content-based deduplication: no MessageDeduplicationId, the id is the body's SHA-256.
      const Entries = SKUS.map((sku) => ({ Id: `${sku}-${n}`, MessageBody: bodyOf(sku, n), MessageGroupId: sku }));
      const r = await env.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
      assert.equal(r.Failed, undefined);
      assert.deepEqual(r.Successful?.map((s) => s.Id), Entries.map((e) => e.Id));
      r.Successful!.forEach((s, i) => {
        checkSequence(last, Entries[i].MessageGroupId, s.SequenceNumber);
        sent.set(`${Entries[i].MessageGroupId}/${n}`, s.MessageId!);
      });
    }
    assert.equal(new Set(sent.values()).size, SKUS.length * UPDATES);
  });

  it('acknowledges duplicate sends (explicit id or same content) with the original MessageId, enqueuing nothing', async () => {
    const retryBody = 'retry of SKU-1001 update 0';
    const retry = await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: retryBody, MessageGroupId: 'SKU-1001', MessageDeduplicationId: 'SKU-1001-0' }));
    assert.equal(retry.MessageId, sent.get('SKU-1001/0'));
    assert.equal(retry.MD5OfMessageBody, md5Hex(retryBody), 'the MD5 of the body this request sent (the SDK checks it)');
    const again = await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: bodyOf('SKU-1002', 1), MessageGroupId: 'SKU-1002' }));
    assert.equal(again.MessageId, sent.get('SKU-1002/1'));
    const batch = await env.sqs.send(new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: 'dup', MessageBody: bodyOf('SKU-1003', 2), MessageGroupId: 'SKU-1003' },
        { Id: 'dup-explicit', MessageBody: 'whatever', MessageGroupId: 'SKU-1004', MessageDeduplicationId: 'SKU-1004-0' },
      ],
    }));
    assert.deepEqual(batch.Successful?.map((s) => [s.Id, s.MessageId]), [['dup', sent.get('SKU-1003/2')], ['dup-explicit', sent.get('SKU-1004/0')]]);
    assert.deepEqual(await counts(url), [String(SKUS.length * UPDATES), '0']);
  });

  it('replays a ReceiveRequestAttemptId retry: same messages, same receipt handles', async () => {
    const input = { QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All' as const], ReceiveRequestAttemptId: 'inventory-worker-1-attempt-1' };
    firstBatch = await receive(input);
    assert.ok(firstBatch.length > 0);
    const retry = await receive(input);
    assert.deepEqual(retry.map((m) => [m.MessageId, m.ReceiptHandle]), firstBatch.map((m) => [m.MessageId, m.ReceiptHandle]));
  });

  it('lets consumers apply each SKU in order, every update exactly once', async () => {
    const applied = new Map(SKUS.map((s) => [s, [] as number[]]));
    const seenIds = new Set<string>();
    const last = new Map<string, bigint>();
    let pending = firstBatch;
    for (let round = 0; round < 60 && seenIds.size < SKUS.length * UPDATES; round++) {
      if (pending.length === 0) pending = await receive({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], WaitTimeSeconds: 1 });
      for (const m of pending) {
        const body = JSON.parse(m.Body!) as { sku: string; update: number };
        const a = m.Attributes ?? {};
        assert.equal(a.MessageGroupId, body.sku);
        assert.equal(a.MessageDeduplicationId, body.update === 0 ? `${body.sku}-0` : sha256Hex(m.Body!));
        assert.equal(a.ApproximateReceiveCount, '1');
        checkSequence(last, body.sku, a.SequenceNumber);
        assert.equal(m.MessageId, sent.get(`${body.sku}/${body.update}`));
        assert.ok(!seenIds.has(m.MessageId!), 'delivered once');
        seenIds.add(m.MessageId!);
        applied.get(body.sku)!.push(body.update);
      }
      if (pending.length) {
        const r = await env.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: pending.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
        assert.equal(r.Failed, undefined);
      }
      pending = [];
    }
    const inOrder = Array.from({ length: UPDATES }, (_, i) => i);
    assert.deepEqual(Object.fromEntries(applied), Object.fromEntries(SKUS.map((s) => [s, inOrder])));
    assert.deepEqual(await receive({ QueueUrl: url, WaitTimeSeconds: 1 }), [], 'no duplicate left behind');
    assert.deepEqual(await counts(url), ['0', '0']);
  });

  it('moves a message that failed 3 receives to the DLQ, with ApproximateReceiveCount and DeadLetterQueueSourceArn', async () => {
    const body = JSON.stringify({ delta: 'not-a-number', sku: 'SKU-9999', update: 0 });
    const id = (await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: 'SKU-9999', MessageDeduplicationId: 'poison-0' }))).MessageId!;
    for (let attempt = 1; attempt <= MAX_RECEIVE_COUNT; attempt++) {
      const got = await receive({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'], WaitTimeSeconds: 1 });
      assert.deepEqual(got.map((m) => [m.MessageId, m.Attributes?.ApproximateReceiveCount]), [[id, String(attempt)]]);
      // Processing fails: the worker hands the message back at once.
      await env.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: got[0].ReceiptHandle!, VisibilityTimeout: 0 }));
    }
    assert.deepEqual(await receive({ QueueUrl: url }), [], 'the next receive moves it instead of returning it');
    const dead = await receive({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['All'], VisibilityTimeout: 0 });
    assert.equal(dead.length, 1);
    const [m] = dead;
    assert.deepEqual([m.MessageId, m.Body, m.MD5OfBody], [id, body, md5Hex(body)]);
    assert.equal(m.Attributes?.ApproximateReceiveCount, String(MAX_RECEIVE_COUNT + 1), 'the count carries over (AWS-rec, spec §6.8)');
    assert.equal(m.Attributes?.DeadLetterQueueSourceArn, SOURCE_ARN);
    assert.equal(m.Attributes?.MessageGroupId, 'SKU-9999');
    assert.equal(m.Attributes?.MessageDeduplicationId, id, 'a FIFO dead letter takes its MessageId as dedup id (spec §6.8)');
    poison = { id, body };
  });

  it('redrives it to its source with StartMessageMoveTask (no DestinationArn); ListMessageMoveTasks shows COMPLETED', async () => {
    assert.ok(poison, 'the previous step put a message in the DLQ');
    const { TaskHandle } = await env.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: DLQ_ARN }));
    assert.ok(TaskHandle);
    const deadline = Date.now() + 30_000; // a bound, not an expectation: the task moves one message
    let tasks = (await env.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: DLQ_ARN, MaxResults: 10 }))).Results ?? [];
    while (tasks[0]?.Status === 'RUNNING' || tasks[0]?.Status === 'CANCELLING') {
      assert.ok(Date.now() < deadline, `task still ${tasks[0].Status} after 30 s`);
      await sleep(100);
      tasks = (await env.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: DLQ_ARN, MaxResults: 10 }))).Results ?? [];
    }
    assert.equal(tasks.length, 1);
    const { StartedTimestamp, ...task } = tasks[0];
    assert.deepEqual(task, { Status: 'COMPLETED', SourceArn: DLQ_ARN, ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 1 });
    assert.ok(typeof StartedTimestamp === 'number' && Math.abs(StartedTimestamp - Date.now()) < 86_400_000, 'StartedTimestamp in epoch ms');

    const back = await receive({ QueueUrl: url, MessageSystemAttributeNames: ['All'], WaitTimeSeconds: 1 });
    assert.equal(back.length, 1);
    const [m] = back;
    assert.equal(m.Body, poison.body);
    assert.notEqual(m.MessageId, poison.id, 'a redriven message is a new message');
    assert.equal(m.Attributes?.ApproximateReceiveCount, '1', 'a fresh receive count: it does not bounce straight back');
    assert.equal(m.Attributes?.DeadLetterQueueSourceArn, undefined);
    assert.equal(m.Attributes?.MessageGroupId, 'SKU-9999');
    await env.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! })); // processed after the fix
    assert.deepEqual(await counts(url), ['0', '0']);
    assert.deepEqual(await counts(dlqUrl), ['0', '0']);

    const e = await sqsError(() => env.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })));
    assert.ok(e instanceof ResourceNotFoundException, 'the modeled exception class');
    assertError(e, 'ResourceNotFoundException', 'ResourceNotFoundException', 404, 'Task does not exist.');
  });

  it('surfaces FIFO and move-task errors as on AWS (spec §2, §6.9)', async () => {
    assertError(await sqsError(() => env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'e-1' }))),
      'MissingParameter', 'MissingParameter', 400, 'The request must contain the parameter MessageGroupId.');
    assertError(await sqsError(() => env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'SKU-1001', DelaySeconds: 5 }))),
      'InvalidParameterValue', 'InvalidParameterValue', 400, 'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.');
    assertError(await sqsError(() => env.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x' }] }))),
      'InvalidParameterValue', 'InvalidParameterValue', 400, 'The request must contain the parameter MessageGroupId.');
    assertError(await sqsError(() => env.sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: 'x', MessageGroupId: 'SKU-1001' }))),
      'InvalidParameterValue', 'InvalidParameterValue', 400, 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    assertError(await sqsError(() => env.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: SOURCE_ARN }))),
      'InvalidParameterValue', 'InvalidParameterValue', 400, 'Source queue must be configured as a Dead Letter Queue.');
    const missing = await sqsError(() => env.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: `${DLQ_ARN}-nope` })));
    assert.ok(missing instanceof ResourceNotFoundException);
    assertError(missing, 'ResourceNotFoundException', 'ResourceNotFoundException', 404, "The resource that you specified for the SourceArn parameter doesn't exist.");
    assertError(await sqsError(() => env.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: DLQ_ARN, DestinationArn: `${SOURCE_ARN}-nope` }))),
      'ResourceNotFoundException', 'ResourceNotFoundException', 404, "The resource that you specified for the DestinationArn parameter doesn't exist.");
    assertError(await sqsError(() => env.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'foobared' }))),
      'InvalidParameterValue', 'InvalidParameterValue', 400, 'Value for parameter TaskHandle is invalid.');
  });
});
