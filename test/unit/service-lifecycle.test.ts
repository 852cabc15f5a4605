// What happens to messages over time and across queues: PurgeQueue's 60 s rule, retention expiry,
// dead-letter redrive and ListDeadLetterSourceQueues (spec §6.4, §6.6, §6.8).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arnFor, bin, counts, ctx, harness, makeQueue, receive, rejects, send, settle, str, T0, track, urlFor, wire } from './helpers.js';

describe('PurgeQueue', () => {
  it('deletes visible, in-flight and delayed messages', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await send(h, url, 'visible');
    await send(h, url, 'inflight');
    await send(h, url, 'delayed', { DelaySeconds: 60 });
    await receive(h, url);
    assert.deepEqual(await counts(h, url), { visible: 1, inflight: 1, delayed: 1 });
    await h.a.PurgeQueue(ctx, { QueueUrl: url });
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 0 });
    h.clock.advance(120_000);
    assert.equal((await receive(h, url, { MaxNumberOfMessages: 10 })).length, 0);
  });

  it('allows one purge per 60 s (AWS-rec text), then another', async () => {
    const h = harness();
    const url = await makeQueue(h, 'my-queue');
    await h.a.PurgeQueue(ctx, { QueueUrl: url });
    await rejects(h.a.PurgeQueue(ctx, { QueueUrl: url }), 'PurgeQueueInProgress', 'Only one PurgeQueue operation on my-queue is allowed every 60 seconds.');
    h.clock.advance(59_999);
    await rejects(h.a.PurgeQueue(ctx, { QueueUrl: url }), 'PurgeQueueInProgress');
    h.clock.advance(1);
    await h.a.PurgeQueue(ctx, { QueueUrl: url });
  });

  it('the 60 s rule is per queue', async () => {
    const h = harness();
    await h.a.PurgeQueue(ctx, { QueueUrl: await makeQueue(h, 'a') });
    await h.a.PurgeQueue(ctx, { QueueUrl: await makeQueue(h, 'b') });
  });

  it('messages sent after the purge are kept', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await send(h, url, 'old');
    await h.a.PurgeQueue(ctx, { QueueUrl: url });
    await send(h, url, 'new');
    assert.deepEqual((await receive(h, url)).map((m) => m.Body), ['new']);
  });
});

describe('retention', () => {
  it('expireMessages() deletes messages older than MessageRetentionPeriod', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { MessageRetentionPeriod: '60' });
    const keep = await makeQueue(h, 'keep'); // default 4 days
    await send(h, url, 'old');
    await send(h, keep, 'kept');
    h.clock.advance(30_000);
    await send(h, url, 'young');
    h.clock.advance(29_999);
    assert.equal(await h.service.expireMessages(), 0);
    h.clock.advance(1);
    assert.equal(await h.service.expireMessages(), 1);
    assert.deepEqual((await receive(h, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body), ['young']);
    assert.equal((await counts(h, keep)).visible, 1);
  });

  it('expires in-flight and delayed messages too', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { MessageRetentionPeriod: '60', VisibilityTimeout: '600' });
    await send(h, url, 'inflight');
    await receive(h, url);
    await send(h, url, 'delayed', { DelaySeconds: 900 });
    h.clock.advance(60_000);
    assert.equal(await h.service.expireMessages(), 2);
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 0 });
  });

  it('a receive never returns an expired message, even before expireMessages() runs', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { MessageRetentionPeriod: '60' });
    await send(h, url, 'old');
    h.clock.advance(59_999);
    await send(h, url, 'young');
    h.clock.advance(1);
    assert.deepEqual((await receive(h, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body), ['young']);
  });

  it('a shorter retention set later applies to messages already queued', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await send(h, url, 'x');
    h.clock.advance(120_000);
    await h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { MessageRetentionPeriod: '60' } });
    assert.equal(await h.service.expireMessages(), 1);
  });
});

describe('dead-letter redrive (AWS-rec test_dead_letter_queue_message_attributes)', () => {
  async function setup(maxReceiveCount = 1) {
    const h = harness();
    const dlq = await makeQueue(h, 'dlq');
    const src = await makeQueue(h, 'src', {
      VisibilityTimeout: '10',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnFor('dlq'), maxReceiveCount }),
    });
    return { h, dlq, src };
  }
  const attributes = { Foo: str('Bar'), Blob: bin(Uint8Array.of(0, 1, 2)) };

  it('maxReceiveCount 1: returned once, moved on the next receive, carried over to the DLQ', async () => {
    const { h, dlq, src } = await setup(1);
    const sent = await h.a.SendMessage(ctx, { QueueUrl: src, MessageBody: 'poison', MessageAttributes: attributes, MessageSystemAttributes: { AWSTraceHeader: str('Root=1-x') } });
    const first = await receive(h, src, { AttributeNames: ['All'], MessageAttributeNames: ['All'] });
    assert.equal(first.length, 1);
    assert.equal(first[0].Attributes?.ApproximateReceiveCount, '1');
    h.clock.advance(10_000);
    assert.equal((await receive(h, src)).length, 0, 'moved instead of returned');
    assert.deepEqual(await counts(h, src), { visible: 0, inflight: 0, delayed: 0 });
    assert.equal((await counts(h, dlq)).visible, 1);

    const [m] = await receive(h, dlq, { AttributeNames: ['All'], MessageAttributeNames: ['All'] });
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.Body, 'poison');
    assert.deepEqual(m.MessageAttributes, attributes);
    assert.equal(m.MD5OfMessageAttributes, first[0].MD5OfMessageAttributes);
    assert.equal(m.Attributes?.ApproximateReceiveCount, '2');
    assert.equal(m.Attributes?.DeadLetterQueueSourceArn, arnFor('src'));
    assert.equal(m.Attributes?.AWSTraceHeader, 'Root=1-x');
    assert.equal(m.Attributes?.SentTimestamp, String(T0)); // standard: original enqueue time kept
  });

  it('maxReceiveCount 3: returned three times, then moved', async () => {
    const { h, dlq, src } = await setup(3);
    await send(h, src, 'x');
    for (let i = 1; i <= 3; i++) {
      const [m] = await receive(h, src, { AttributeNames: ['ApproximateReceiveCount'] });
      assert.equal(m?.Attributes?.ApproximateReceiveCount, String(i));
      h.clock.advance(10_000);
    }
    assert.equal((await receive(h, src)).length, 0);
    assert.equal((await counts(h, dlq)).visible, 1);
  });

  it('a deleted message is never moved', async () => {
    const { h, dlq, src } = await setup(1);
    await send(h, src, 'x');
    const [m] = await receive(h, src);
    await h.a.DeleteMessage(ctx, { QueueUrl: src, ReceiptHandle: m.ReceiptHandle });
    h.clock.advance(10_000);
    await receive(h, src);
    assert.equal((await counts(h, dlq)).visible, 0);
  });

  it('moves a poisoned message and returns the next good one in the same receive', async () => {
    const { h, dlq, src } = await setup(1);
    await send(h, src, 'poison');
    await receive(h, src);
    h.clock.advance(10_000);
    await send(h, src, 'good');
    assert.deepEqual((await receive(h, src)).map((m) => m.Body), ['good']);
    assert.equal((await counts(h, dlq)).visible, 1);
  });

  it('a deleted DLQ leaves the message in the source, returned as usual', async () => {
    const { h, dlq, src } = await setup(1);
    await send(h, src, 'x');
    await receive(h, src);
    await h.a.DeleteQueue(ctx, { QueueUrl: dlq });
    h.clock.advance(10_000);
    const [m] = await receive(h, src, { AttributeNames: ['ApproximateReceiveCount'] });
    assert.equal(m?.Attributes?.ApproximateReceiveCount, '2');
  });

  // Known gap: the move happens inside the source's receive, which wakes no waiter of the DLQ.
  it('a long poll waiting on the DLQ wakes when a message is moved there', async () => {
    const { h, dlq, src } = await setup(1);
    await send(h, src, 'x');
    await receive(h, src);
    h.clock.advance(10_000);
    const p = track(receive(h, dlq, { WaitTimeSeconds: 20 }));
    await settle();
    await receive(h, src); // moves the message
    await settle();
    await settle();
    assert.equal(p.done(), true);
  });

  it('removing the RedrivePolicy stops moving', async () => {
    const { h, dlq, src } = await setup(1);
    await send(h, src, 'x');
    await receive(h, src);
    await h.a.SetQueueAttributes(ctx, { QueueUrl: src, Attributes: { RedrivePolicy: '' } });
    h.clock.advance(10_000);
    assert.equal((await receive(h, src)).length, 1);
    assert.equal((await counts(h, dlq)).visible, 0);
  });
});

describe('ListDeadLetterSourceQueues', () => {
  async function setup() {
    const h = harness();
    await makeQueue(h, 'dlq');
    await makeQueue(h, 'other-dlq');
    const policy = (dlq: string) => ({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnFor(dlq), maxReceiveCount: 2 }) });
    for (const n of ['src-b', 'src-a', 'src-c']) await makeQueue(h, n, policy('dlq'));
    await makeQueue(h, 'elsewhere', policy('other-dlq'));
    await makeQueue(h, 'plain');
    return h;
  }
  it('lists the queues whose RedrivePolicy targets the DLQ, by name', async () => {
    const h = await setup();
    assert.deepEqual(wire(await h.a.ListDeadLetterSourceQueues(ctx, { QueueUrl: urlFor('dlq') })), { queueUrls: ['src-a', 'src-b', 'src-c'].map((n) => urlFor(n)) });
  });
  it('returns an empty queueUrls list for a queue nobody targets', async () => {
    const h = await setup();
    assert.deepEqual(wire(await h.a.ListDeadLetterSourceQueues(ctx, { QueueUrl: urlFor('plain') })), { queueUrls: [] });
  });
  it('pages with MaxResults and NextToken', async () => {
    const h = await setup();
    const first = await h.a.ListDeadLetterSourceQueues(ctx, { QueueUrl: urlFor('dlq'), MaxResults: 2 });
    assert.deepEqual(first.queueUrls, [urlFor('src-a'), urlFor('src-b')]);
    assert.ok(first.NextToken);
    const second = await h.a.ListDeadLetterSourceQueues(ctx, { QueueUrl: urlFor('dlq'), MaxResults: 2, NextToken: first.NextToken });
    assert.deepEqual(wire(second), { queueUrls: [urlFor('src-c')] });
  });
  it('drops a source once its RedrivePolicy is removed', async () => {
    const h = await setup();
    await h.a.SetQueueAttributes(ctx, { QueueUrl: urlFor('src-b'), Attributes: { RedrivePolicy: '' } });
    assert.deepEqual((await h.a.ListDeadLetterSourceQueues(ctx, { QueueUrl: urlFor('dlq') })).queueUrls, [urlFor('src-a'), urlFor('src-c')]);
  });
  it('refuses an unknown queue', async () => {
    await rejects((await setup()).a.ListDeadLetterSourceQueues(ctx, { QueueUrl: urlFor('nope') }), 'QueueDoesNotExist');
  });
});
