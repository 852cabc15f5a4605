// FIFO dead-letter queues (spec §6.8): FIFO source ↔ FIFO DLQ only, the move after maxReceiveCount
// with the receive count carried over, DeadLetterQueueSourceArn, the enqueue time reset on a FIFO
// move, dedup id = MessageId, group order kept in the DLQ; and RedriveAllowPolicy (spec §4).
// Sources: localstack tests/aws/services/sqs/test_sqs.py (@markers.aws.validated) where named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arnFor, counts, ctx, harness, type Harness, makeQueue, receive, rejects, str, T0 } from './helpers.js';

const urlOf = (name: string) => `${ctx.baseUrl}/${ctx.accountId}/${name}`;
const policy = (dlqName: string, maxReceiveCount: number) => JSON.stringify({ deadLetterTargetArn: arnFor(dlqName), maxReceiveCount });

async function pipe(maxReceiveCount = 1, sourceExtra: Record<string, string> = {}) {
  const h = harness();
  const dlq = await makeQueue(h, 'dlq.fifo', { FifoQueue: 'true' });
  const src = await makeQueue(h, 'src.fifo', { FifoQueue: 'true', VisibilityTimeout: '10', RedrivePolicy: policy('dlq.fifo', maxReceiveCount), ...sourceExtra });
  return { h, dlq, src };
}

const send = (h: Harness, url: string, body: string, group = 'g', extra: Record<string, unknown> = {}) =>
  h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: body, ...extra });

describe('FIFO dead-letter queue type rules', () => {
  it('a FIFO source refuses a standard DLQ, and a standard source a FIFO DLQ', async () => {
    const h = harness();
    await makeQueue(h, 'std-dlq');
    await makeQueue(h, 'fifo-dlq.fifo', { FifoQueue: 'true' });
    const reason = /Dead-letter queue must be same type of queue as the source\./;
    await rejects(makeQueue(h, 'src.fifo', { FifoQueue: 'true', RedrivePolicy: policy('std-dlq', 1) }), 'InvalidParameterValue', reason);
    await rejects(makeQueue(h, 'src', { RedrivePolicy: policy('fifo-dlq.fifo', 1) }), 'InvalidParameterValue', reason);
    const fifoSrc = await makeQueue(h, 'src2.fifo', { FifoQueue: 'true' });
    await rejects(h.a.SetQueueAttributes(ctx, { QueueUrl: fifoSrc, Attributes: { RedrivePolicy: policy('std-dlq', 1) } }), 'InvalidParameterValue', reason);
    await h.a.SetQueueAttributes(ctx, { QueueUrl: fifoSrc, Attributes: { RedrivePolicy: policy('fifo-dlq.fifo', 1) } });
  });
});

describe('FIFO dead-letter moves', () => {
  it('maxReceiveCount 1: returned once, moved on the next receive; the DLQ shows count 2 and the source ARN (AWS-rec test_dead_letter_queue_message_attributes)', async () => {
    const { h, dlq, src } = await pipe(1);
    const sent = await send(h, src, 'poison', 'sku-1', { MessageAttributes: { Foo: str('Bar') }, MessageSystemAttributes: { AWSTraceHeader: str('Root=1-x') } });
    const [first] = await receive(h, src, { AttributeNames: ['ApproximateReceiveCount'] });
    assert.equal(first.Attributes?.ApproximateReceiveCount, '1');
    h.clock.advance(10_000);
    assert.deepEqual(await receive(h, src), [], 'moved instead of returned');
    assert.deepEqual(await counts(h, src), { visible: 0, inflight: 0, delayed: 0 });
    assert.deepEqual(await counts(h, dlq), { visible: 1, inflight: 0, delayed: 0 });

    h.clock.advance(2_000);
    const [m] = await receive(h, dlq, { AttributeNames: ['All'], MessageAttributeNames: ['All'] });
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.Body, 'poison');
    assert.deepEqual(m.MessageAttributes, { Foo: str('Bar') });
    assert.equal(m.Attributes?.ApproximateReceiveCount, '2');
    assert.equal(m.Attributes?.DeadLetterQueueSourceArn, arnFor('src.fifo'));
    assert.equal(m.Attributes?.AWSTraceHeader, 'Root=1-x');
    assert.equal(m.Attributes?.MessageGroupId, 'sku-1');
    // Spec §6.8: a FIFO move replaces the dedup id with the MessageId and resets the enqueue time.
    assert.equal(m.Attributes?.MessageDeduplicationId, sent.MessageId);
    assert.equal(m.Attributes?.SentTimestamp, String(T0 + 10_000));
    assert.equal(m.Attributes?.ApproximateFirstReceiveTimestamp, String(T0), 'the first receive stays the first receive');
  });

  it('maxReceiveCount 2 with content-based deduplication (AWS-rec test_dead_letter_queue_with_fifo_and_content_based_deduplication)', async () => {
    const h = harness();
    await makeQueue(h, 'dlq.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', MessageRetentionPeriod: '1209600' });
    const src = await makeQueue(h, 'src.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '60', RedrivePolicy: policy('dlq.fifo', 2) });
    const { MessageId } = await h.a.SendMessage(ctx, { QueueUrl: src, MessageBody: 'foobar', MessageGroupId: '1' });
    assert.equal((await receive(h, src, { VisibilityTimeout: 0 })).length, 1);
    assert.equal((await receive(h, src, { VisibilityTimeout: 0 })).length, 1);
    assert.equal((await receive(h, src, { VisibilityTimeout: 0 })).length, 0, 'this receive moves it');
    const got = await receive(h, urlOf('dlq.fifo'));
    assert.equal(got.length, 1);
    assert.deepEqual([got[0].MessageId, got[0].Body], [MessageId, 'foobar']);
  });

  it('keeps each group\'s order in the DLQ and leaves the moved messages\' groups unlocked there', async () => {
    const { h, dlq, src } = await pipe(1);
    for (const body of ['a-1', 'b-1', 'a-2', 'a-3', 'b-2']) await send(h, src, body, body[0]);
    const got = await receive(h, src, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    assert.equal(got.length, 5);
    assert.deepEqual(await receive(h, src, { MaxNumberOfMessages: 10 }), [], 'all five moved');
    const inDlq = await receive(h, dlq, { MaxNumberOfMessages: 10, AttributeNames: ['MessageGroupId', 'SequenceNumber'] });
    const order = (g: string) => inDlq.filter((m) => m.Attributes?.MessageGroupId === g).map((m) => m.Body);
    assert.deepEqual(order('a'), ['a-1', 'a-2', 'a-3']);
    assert.deepEqual(order('b'), ['b-1', 'b-2']);
  });

  it('moves a poisoned head and returns the next message of the same group in the same receive', async () => {
    const { h, dlq, src } = await pipe(1);
    await send(h, src, 'g-1');
    await receive(h, src);
    h.clock.advance(10_000);
    await send(h, src, 'g-2');
    assert.deepEqual((await receive(h, src, { MaxNumberOfMessages: 10 })).map((m) => m.Body), ['g-2']);
    assert.equal((await counts(h, dlq)).visible, 1);
  });

  it('a message deleted in time is never moved', async () => {
    const { h, dlq, src } = await pipe(1);
    await send(h, src, 'ok');
    const [m] = await receive(h, src);
    await h.a.DeleteMessage(ctx, { QueueUrl: src, ReceiptHandle: m.ReceiptHandle });
    h.clock.advance(10_000);
    assert.deepEqual(await receive(h, src), []);
    assert.equal((await counts(h, dlq)).visible, 0);
  });

  it('retention in the DLQ counts from the move (FIFO), not from the original send (spec §6.8)', async () => {
    const { h, dlq, src } = await pipe(1);
    await h.a.SetQueueAttributes(ctx, { QueueUrl: dlq, Attributes: { MessageRetentionPeriod: '60' } });
    await send(h, src, 'late');
    await receive(h, src);
    h.clock.advance(50_000);
    await receive(h, src); // moves at T0+50 s
    h.clock.advance(59_999);
    assert.equal(await h.service.expireMessages(), 0);
    assert.equal((await counts(h, dlq)).visible, 1);
    h.clock.advance(1);
    assert.equal(await h.service.expireMessages(), 1);
  });
});

describe('RedriveAllowPolicy (spec §4)', () => {
  const allow = (p: object) => JSON.stringify(p);

  async function dlqWith(h: Harness, allowPolicy?: object) {
    return makeQueue(h, 'dlq.fifo', { FifoQueue: 'true', ...(allowPolicy ? { RedriveAllowPolicy: allow(allowPolicy) } : {}) });
  }
  const useDlq = (h: Harness, name: string) => makeQueue(h, name, { FifoQueue: 'true', RedrivePolicy: policy('dlq.fifo', 3) });
  const denied = /is not allowed to use the dead-letter queue by its RedriveAllowPolicy/;

  it('absent or allowAll lets any source use the DLQ', async () => {
    const h = harness();
    await dlqWith(h);
    await useDlq(h, 'a.fifo');
    await h.a.SetQueueAttributes(ctx, { QueueUrl: urlOf('dlq.fifo'), Attributes: { RedriveAllowPolicy: allow({ redrivePermission: 'allowAll' }) } });
    await useDlq(h, 'b.fifo');
  });

  it('denyAll refuses every source, on CreateQueue and on SetQueueAttributes', async () => {
    const h = harness();
    await dlqWith(h, { redrivePermission: 'denyAll' });
    await rejects(useDlq(h, 'a.fifo'), 'InvalidParameterValue', denied);
    const b = await makeQueue(h, 'b.fifo', { FifoQueue: 'true' });
    await rejects(h.a.SetQueueAttributes(ctx, { QueueUrl: b, Attributes: { RedrivePolicy: policy('dlq.fifo', 3) } }), 'InvalidParameterValue', denied);
  });

  it('byQueue admits only the listed sources', async () => {
    const h = harness();
    await dlqWith(h, { redrivePermission: 'byQueue', sourceQueueArns: [arnFor('listed.fifo')] });
    await useDlq(h, 'listed.fifo');
    await rejects(useDlq(h, 'other.fifo'), 'InvalidParameterValue', denied);
  });

  it('byQueue needs 1 to 10 source ARNs; sourceQueueArns only with byQueue; bad JSON refused', async () => {
    const h = harness();
    await rejects(dlqWith(h, { redrivePermission: 'byQueue' }), 'InvalidParameterValue');
    await rejects(dlqWith(h, { redrivePermission: 'byQueue', sourceQueueArns: Array.from({ length: 11 }, (_, i) => arnFor(`s${i}.fifo`)) }), 'InvalidParameterValue');
    await rejects(dlqWith(h, { redrivePermission: 'allowAll', sourceQueueArns: [arnFor('x.fifo')] }), 'InvalidParameterValue');
    await rejects(makeQueue(h, 'dlq.fifo', { FifoQueue: 'true', RedriveAllowPolicy: '{not json' }), 'InvalidParameterValue');
    await rejects(dlqWith(h, { redrivePermission: 'sometimes' }), 'InvalidParameterValue');
  });

  it('an existing source keeps working after the DLQ tightens its policy (the policy is checked when a RedrivePolicy is set)', async () => {
    const h = harness();
    const dlq = await dlqWith(h);
    const src = await useDlq(h, 'src.fifo');
    await h.a.SetQueueAttributes(ctx, { QueueUrl: dlq, Attributes: { RedriveAllowPolicy: allow({ redrivePermission: 'denyAll' }) } });
    await h.a.SetQueueAttributes(ctx, { QueueUrl: src, Attributes: { VisibilityTimeout: '0' } });
    await send(h, src, 'x');
    for (let i = 0; i < 3; i++) assert.equal((await receive(h, src)).length, 1);
    assert.deepEqual(await receive(h, src), []);
    assert.equal((await counts(h, dlq)).visible, 1);
  });
});
