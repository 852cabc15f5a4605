// The message move task runner on a manual clock (spec §6.9): where messages go, how fast
// (MaxNumberOfMessagesPerSecond counted per simulated second), the statuses RUNNING → COMPLETED,
// CANCELLING → CANCELLED and FAILED, what a moved message looks like, and resuming after a restart
// (a new QueueService over the same store). Sources: localstack
// tests/aws/services/sqs/test_sqs_move_task.py + .snapshot.json (@markers.aws.validated).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReceivedMessage } from '../../src/core/api.js';
import { QueueService } from '../../src/core/queue-service.js';
import { ManualClock } from '../../src/core/scheduler.js';
import { nodeCrypto } from '../../src/server.js';
import { arnFor, counts, ctx, harness, type Harness, makeQueue, receive, settle, T0, wire } from './helpers.js';

interface TaskRow {
  TaskHandle?: string;
  Status: string;
  DestinationArn?: string;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove?: number;
  FailureReason?: string;
}

const list = async (h: Pick<Harness, 'a'>, SourceArn: string) => wire((await h.a.ListMessageMoveTasks(ctx, { SourceArn })).Results ?? []) as TaskRow[];
const status = async (h: Pick<Harness, 'a'>, SourceArn: string) => (await list(h, SourceArn))[0];

/** Fires due timers (the task runner) and lets the store calls they start finish. */
async function run(h: Pick<Harness, 'clock'>, ms = 0) {
  h.clock.advance(ms);
  for (let i = 0; i < 3; i++) await settle();
}

const redrive = (dlq: string, maxReceiveCount = 1) => JSON.stringify({ deadLetterTargetArn: arnFor(dlq), maxReceiveCount });

/** Receives until the queue is empty (each receive with visibility 0), so everything is dead-lettered. */
async function poison(h: Harness, url: string) {
  for (let i = 0; i < 100 && (await counts(h, url)).visible > 0; i++) await receive(h, url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
}

async function pipe(n: number) {
  const h = harness();
  const dlq = await makeQueue(h, 'dlq');
  const src = await makeQueue(h, 'src', { RedrivePolicy: redrive('dlq') });
  const dest = await makeQueue(h, 'dest');
  for (let i = 0; i < n; i++) await h.a.SendMessage(ctx, { QueueUrl: src, MessageBody: `message-${i}` });
  await poison(h, src);
  assert.equal((await counts(h, dlq)).visible, n);
  return { h, dlq, src, dest, dlqArn: arnFor('dlq'), destArn: arnFor('dest') };
}

async function drain(h: Harness, url: string): Promise<ReceivedMessage[]> {
  const out: ReceivedMessage[] = [];
  for (;;) {
    const got = await receive(h, url, { MaxNumberOfMessages: 10, AttributeNames: ['All'] });
    if (got.length === 0) return out;
    out.push(...got);
    await h.a.DeleteMessageBatch(ctx, { QueueUrl: url, Entries: got.map((m, i) => ({ Id: `e${i}`, ReceiptHandle: m.ReceiptHandle })) });
  }
}

describe('moving to a destination', () => {
  it('moves every message and completes (AWS-rec test_basic_move_task_workflow)', async () => {
    const { h, dlq, dest, dlqArn, destArn } = await pipe(2);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
    assert.equal((await status(h, dlqArn)).Status, 'RUNNING', 'nothing moves before the runner\'s first turn');
    await run(h);
    assert.deepEqual(new Set((await drain(h, dest)).map((m) => m.Body)), new Set(['message-0', 'message-1']));
    assert.deepEqual(await receive(h, dlq), [], 'no longer in the DLQ');
    const t = await status(h, dlqArn);
    assert.deepEqual([t.Status, t.ApproximateNumberOfMessagesMoved, t.ApproximateNumberOfMessagesToMove], ['COMPLETED', 2, 2]);
  });

  it('an empty DLQ completes at once with nothing moved', async () => {
    const { h, dlqArn, destArn } = await pipe(0);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
    await run(h);
    const t = await status(h, dlqArn);
    assert.deepEqual([t.Status, t.ApproximateNumberOfMessagesMoved, t.ApproximateNumberOfMessagesToMove], ['COMPLETED', 0, 0]);
  });

  it('moves oldest first, in batches, even past 100 messages', async () => {
    const { h, dest, dlqArn, destArn } = await pipe(250);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
    for (let i = 0; i < 5; i++) await run(h);
    const t = await status(h, dlqArn);
    assert.deepEqual([t.Status, t.ApproximateNumberOfMessagesMoved], ['COMPLETED', 250]);
    const bodies = (await drain(h, dest)).map((m) => m.Body);
    assert.equal(bodies.length, 250);
    assert.equal(new Set(bodies).size, 250, 'no duplicates');
  });

  it('a moved message is a new message: new id, new enqueue time, receive count 0, no source ARN (spec §6.9)', async () => {
    const { h, dlq, dest, dlqArn, destArn } = await pipe(0);
    const src = `${ctx.baseUrl}/${ctx.accountId}/src`;
    const sent = await h.a.SendMessage(ctx, { QueueUrl: src, MessageBody: 'payload', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } });
    await poison(h, src);
    const [inDlq] = await receive(h, dlq, { AttributeNames: ['All'], MessageAttributeNames: ['All'], VisibilityTimeout: 0 });
    assert.equal(inDlq.MessageId, sent.MessageId);
    h.clock.advance(7_000);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
    await run(h);
    const [m] = await receive(h, dest, { AttributeNames: ['All'], MessageAttributeNames: ['All'] });
    assert.notEqual(m.MessageId, sent.MessageId);
    assert.equal(m.Body, 'payload');
    assert.deepEqual(m.MessageAttributes, { k: { DataType: 'String', StringValue: 'v' } });
    assert.equal(m.MD5OfMessageAttributes, inDlq.MD5OfMessageAttributes);
    assert.equal(m.Attributes?.ApproximateReceiveCount, '1', 'counted from zero again');
    assert.equal(m.Attributes?.SentTimestamp, String(T0 + 7_000));
    assert.equal(m.Attributes?.DeadLetterQueueSourceArn, undefined);
  });
});

describe('moving back to the sources (no DestinationArn)', () => {
  it('each message goes back to the queue it was dead-lettered from (AWS-rec test_move_task_workflow_with_multiple_sources_as_default_destination)', async () => {
    const h = harness();
    const dlq = await makeQueue(h, 'dlq');
    const a = await makeQueue(h, 'src-a', { RedrivePolicy: redrive('dlq') });
    const b = await makeQueue(h, 'src-b', { RedrivePolicy: redrive('dlq') });
    for (const [url, name] of [[a, 'a'], [b, 'b']]) {
      for (let i = 0; i < 2; i++) await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: `${name}-${i}` });
      await poison(h, url);
    }
    assert.equal((await counts(h, dlq)).visible, 4);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: arnFor('dlq') });
    await run(h);
    const t = await status(h, arnFor('dlq'));
    assert.deepEqual([t.Status, t.ApproximateNumberOfMessagesMoved, t.ApproximateNumberOfMessagesToMove, t.DestinationArn], ['COMPLETED', 4, 4, undefined]);
    assert.deepEqual((await drain(h, a)).map((m) => m.Body).sort(), ['a-0', 'a-1']);
    assert.deepEqual((await drain(h, b)).map((m) => m.Body).sort(), ['b-0', 'b-1']);
  });

  it('a message back in its source does not bounce straight back to the DLQ', async () => {
    const h = harness();
    const dlq = await makeQueue(h, 'dlq');
    const src = await makeQueue(h, 'src', { RedrivePolicy: redrive('dlq', 1) });
    await h.a.SendMessage(ctx, { QueueUrl: src, MessageBody: 'retry me' });
    await poison(h, src);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: arnFor('dlq') });
    await run(h);
    // With maxReceiveCount 1 a carried-over count would move it again on this receive.
    const [m] = await receive(h, src, { AttributeNames: ['ApproximateReceiveCount'] });
    assert.equal(m?.Body, 'retry me');
    assert.equal(m.Attributes?.ApproximateReceiveCount, '1');
    assert.equal((await counts(h, dlq)).visible, 0);
  });

  it('a message whose source was deleted fails the task with NonExistentQueue and stays in the DLQ', async () => {
    const h = harness();
    const dlq = await makeQueue(h, 'dlq');
    const src = await makeQueue(h, 'src', { RedrivePolicy: redrive('dlq') });
    await makeQueue(h, 'keeper', { RedrivePolicy: redrive('dlq') }); // keeps dlq a DLQ
    await h.a.SendMessage(ctx, { QueueUrl: src, MessageBody: 'orphan' });
    await poison(h, src);
    await h.a.DeleteQueue(ctx, { QueueUrl: src });
    await h.a.StartMessageMoveTask(ctx, { SourceArn: arnFor('dlq') });
    await run(h);
    const t = await status(h, arnFor('dlq'));
    assert.deepEqual([t.Status, t.FailureReason, t.ApproximateNumberOfMessagesMoved], ['FAILED', 'AWS.SimpleQueueService.NonExistentQueue', 0]);
    assert.equal((await counts(h, dlq)).visible, 1);
  });

  it('FIFO: messages return to their FIFO source with each group in order and new sequence numbers', async () => {
    const h = harness();
    const dlq = await makeQueue(h, 'dlq.fifo', { FifoQueue: 'true' });
    const src = await makeQueue(h, 'src.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', RedrivePolicy: redrive('dlq.fifo') });
    const sent = [];
    for (const body of ['a-1', 'b-1', 'a-2', 'b-2', 'a-3']) sent.push(await h.a.SendMessage(ctx, { QueueUrl: src, MessageBody: body, MessageGroupId: body[0] }));
    await poison(h, src);
    assert.equal((await counts(h, dlq)).visible, 5);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: arnFor('dlq.fifo') });
    await run(h);
    assert.equal((await status(h, arnFor('dlq.fifo'))).Status, 'COMPLETED');
    // Content-based dedup windows of the original sends are still open: the move is not deduplicated.
    const back = await receive(h, src, { MaxNumberOfMessages: 10, AttributeNames: ['All'] });
    const group = (g: string) => back.filter((m) => m.Attributes?.MessageGroupId === g);
    assert.deepEqual(group('a').map((m) => m.Body), ['a-1', 'a-2', 'a-3']);
    assert.deepEqual(group('b').map((m) => m.Body), ['b-1', 'b-2']);
    const maxSent = sent.reduce((mx, s) => (BigInt(s.SequenceNumber!) > mx ? BigInt(s.SequenceNumber!) : mx), 0n);
    for (const m of back) assert.ok(BigInt(m.Attributes!.SequenceNumber) > maxSent, 'a new sequence number');
    for (const g of ['a', 'b']) {
      const seqs = group(g).map((m) => BigInt(m.Attributes!.SequenceNumber));
      for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1]);
    }
  });
});

describe('MaxNumberOfMessagesPerSecond', () => {
  /** How many have been moved after each simulated second, starting at the task's start. */
  async function movedPerSecond(h: Harness, dlqArn: string, seconds: number): Promise<number[]> {
    const out: number[] = [];
    await run(h);
    out.push((await status(h, dlqArn)).ApproximateNumberOfMessagesMoved);
    for (let s = 1; s < seconds; s++) {
      await run(h, 999);
      assert.equal((await status(h, dlqArn)).ApproximateNumberOfMessagesMoved, out[out.length - 1], 'nothing moves inside a second');
      await run(h, 1);
      out.push((await status(h, dlqArn)).ApproximateNumberOfMessagesMoved);
    }
    return out;
  }

  it('1 per second: 4 messages take 3 seconds after the first (AWS-rec test_move_task_with_throughput_limit)', async () => {
    const { h, dest, dlqArn, destArn } = await pipe(4);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 1 });
    assert.deepEqual(await movedPerSecond(h, dlqArn, 5), [1, 2, 3, 4, 4]);
    assert.equal((await status(h, dlqArn)).Status, 'COMPLETED');
    assert.deepEqual((await drain(h, dest)).map((m) => m.Body).sort(), ['message-0', 'message-1', 'message-2', 'message-3']);
  });

  it('3 per second over 10 messages: 3, 6, 9, 10', async () => {
    const { h, dlqArn, destArn } = await pipe(10);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 3 });
    assert.deepEqual(await movedPerSecond(h, dlqArn, 4), [3, 6, 9, 10]);
    assert.equal((await status(h, dlqArn)).Status, 'COMPLETED');
  });

  it('without a rate everything moves on the first turn', async () => {
    const { h, dlqArn, destArn } = await pipe(30);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
    await run(h);
    const t = await status(h, dlqArn);
    assert.deepEqual([t.Status, t.ApproximateNumberOfMessagesMoved], ['COMPLETED', 30]);
  });
});

describe('cancelling', () => {
  it('RUNNING → CANCELLING → CANCELLED; moved messages stay moved, the rest stay in the DLQ (AWS-rec test_move_task_cancel)', async () => {
    const { h, dlq, dest, dlqArn, destArn } = await pipe(10);
    const { TaskHandle } = await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 1 });
    await run(h);
    await run(h, 1_000);
    assert.deepEqual(await h.a.CancelMessageMoveTask(ctx, { TaskHandle }), { ApproximateNumberOfMessagesMoved: 2 });
    const cancelling = await status(h, dlqArn);
    assert.equal(cancelling.Status, 'CANCELLING');
    assert.equal(cancelling.TaskHandle, undefined, 'the handle is listed only while RUNNING');
    await run(h);
    const t = await status(h, dlqArn);
    assert.deepEqual([t.Status, t.ApproximateNumberOfMessagesMoved, t.ApproximateNumberOfMessagesToMove], ['CANCELLED', 2, 10]);
    await run(h, 10_000);
    assert.equal((await status(h, dlqArn)).ApproximateNumberOfMessagesMoved, 2, 'nothing moves after the cancel');
    assert.deepEqual(await counts(h, dlq), { visible: 8, inflight: 0, delayed: 0 });
    assert.equal((await drain(h, dest)).length, 2);
  });

  it('a cancel that arrives while a batch is being moved still ends CANCELLED', async () => {
    const { h, dlq, dest, dlqArn, destArn } = await pipe(10);
    const { TaskHandle } = await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 1 });
    await run(h);
    h.clock.advance(1_000); // the runner's second batch starts here and is still in its store calls...
    const cancelled = await h.a.CancelMessageMoveTask(ctx, { TaskHandle }); // ...when the cancel lands
    for (let i = 0; i < 5; i++) await run(h, 1_000);
    const t = await status(h, dlqArn);
    assert.equal(t.Status, 'CANCELLED');
    assert.ok(t.ApproximateNumberOfMessagesMoved >= cancelled.ApproximateNumberOfMessagesMoved);
    const moved = (await drain(h, dest)).length;
    assert.equal(moved, t.ApproximateNumberOfMessagesMoved, 'the count matches what really moved');
    assert.equal((await counts(h, dlq)).visible, 10 - moved, 'nothing lost, nothing duplicated');
    assert.ok(moved <= 3, `stopped promptly (moved ${moved})`);
  });
});

describe('failure', () => {
  it('the destination deleted mid-task → FAILED with NonExistentQueue; the rest stays in the DLQ (AWS-rec test_move_task_delete_destination_queue_while_running)', async () => {
    const { h, dlq, dest, dlqArn, destArn } = await pipe(10);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 1 });
    await run(h);
    await run(h, 1_000);
    await run(h, 1_000);
    assert.equal((await status(h, dlqArn)).ApproximateNumberOfMessagesMoved, 3);
    await h.a.DeleteQueue(ctx, { QueueUrl: dest });
    await run(h, 1_000);
    assert.deepEqual(await status(h, dlqArn), {
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 10,
      DestinationArn: destArn,
      FailureReason: 'AWS.SimpleQueueService.NonExistentQueue',
      MaxNumberOfMessagesPerSecond: 1,
      SourceArn: dlqArn,
      StartedTimestamp: T0,
      Status: 'FAILED',
    } as TaskRow);
    assert.deepEqual(await counts(h, dlq), { visible: 7, inflight: 0, delayed: 0 });
    await run(h, 10_000);
    assert.equal((await counts(h, dlq)).visible, 7, 'a failed task does nothing more');
    // A new task can start once the old one failed.
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn });
  });

  it('the DLQ itself deleted mid-task → FAILED', async () => {
    const { h, dlq, dlqArn, destArn } = await pipe(5);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 1 });
    await run(h);
    await h.a.DeleteQueue(ctx, { QueueUrl: dlq });
    await run(h, 1_000);
    // The task is still stored (listing needs the source to exist, so read the store directly).
    const [t] = await h.store.listMoveTasks(dlqArn);
    assert.deepEqual([t.status, t.failureReason, t.moved], ['FAILED', 'AWS.SimpleQueueService.NonExistentQueue', 1]);
  });
});

describe('restart', () => {
  /** A second node over the same store, as after a restart: the old one stops first. */
  async function restart(h: Harness, laterMs: number): Promise<Harness> {
    h.service.stopPolling();
    const clock = new ManualClock(h.clock.now() + laterMs);
    const service = new QueueService(h.store, clock, nodeCrypto);
    await service.start();
    return { service, clock, store: h.store, a: service.actions };
  }

  it('a RUNNING task resumes where it stopped, without losing or duplicating a message', async () => {
    const { h, dlq, dest, dlqArn, destArn } = await pipe(6);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 2 });
    await run(h);
    assert.equal((await status(h, dlqArn)).ApproximateNumberOfMessagesMoved, 2);
    const h2 = await restart(h, 60_000);
    await run(h, 5_000); // the stopped node does nothing more
    assert.equal((await status(h2, dlqArn)).ApproximateNumberOfMessagesMoved, 2);
    await run(h2);
    await run(h2, 1_000);
    const t = await status(h2, dlqArn);
    assert.deepEqual([t.Status, t.ApproximateNumberOfMessagesMoved], ['COMPLETED', 6]);
    assert.deepEqual((await drain(h2 as Harness, dest)).map((m) => m.Body).sort(), ['message-0', 'message-1', 'message-2', 'message-3', 'message-4', 'message-5']);
    assert.equal((await counts(h2 as Harness, dlq)).visible, 0);
  });

  it('a cancel under way when the node stopped ends CANCELLED after the restart', async () => {
    const { h, dlq, dlqArn, destArn } = await pipe(6);
    const { TaskHandle } = await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 1 });
    await run(h);
    await h.a.CancelMessageMoveTask(ctx, { TaskHandle });
    const h2 = await restart(h, 1_000); // before the runner's next turn settled it
    assert.equal((await status(h2, dlqArn)).Status, 'CANCELLING');
    await run(h2);
    const t = await status(h2, dlqArn);
    assert.deepEqual([t.Status, t.ApproximateNumberOfMessagesMoved], ['CANCELLED', 1]);
    assert.equal((await counts(h2 as Harness, dlq)).visible, 5);
  });

  it('finished tasks are left alone', async () => {
    const { h, dlqArn, destArn } = await pipe(2);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
    await run(h);
    const before = await status(h, dlqArn);
    const h2 = await restart(h, 1_000);
    await run(h2, 1_000);
    assert.deepEqual(await status(h2, dlqArn), before);
  });
});
