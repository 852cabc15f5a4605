// FIFO queues: creation rules and attributes (spec §4), SendMessage / SendMessageBatch validation,
// content-based deduplication ids, per-message delay, sequence numbers and batch order (§2, §6.7).
// Sources: localstack tests/aws/services/sqs/test_sqs.py (@markers.aws.validated, i.e. recorded
// against AWS) where a case names one; otherwise the spec section.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { attrs, counts, ctx, harness, type Harness, makeQueue, receive, rejects, wire } from './helpers.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function fifo(h: Harness, name = 'q.fifo', extra: Record<string, string> = {}) {
  return makeQueue(h, name, { FifoQueue: 'true', ...extra });
}

const sendFifo = (h: Harness, url: string, body: string, extra: Record<string, unknown> = {}) =>
  h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: body, MessageGroupId: 'g', MessageDeduplicationId: sha256(body), ...extra });

describe('CreateQueue for FIFO', () => {
  it('creates a .fifo queue with FifoQueue=true and keeps the suffix in the URL (AWS-rec test_create_and_send_to_fifo_queue)', async () => {
    const h = harness();
    const url = await fifo(h, 'orders.fifo');
    assert.ok(url.endsWith('/000000000000/orders.fifo'));
  });

  it('refuses FifoQueue=true without the .fifo suffix (AWS-rec test_fifo_queue_requires_suffix)', async () => {
    await rejects(makeQueue(harness(), 'orders', { FifoQueue: 'true' }), 'InvalidParameterValue');
  });

  it('refuses a .fifo name for a standard queue (AWS-rec test_standard_queue_cannot_have_fifo_suffix)', async () => {
    await rejects(makeQueue(harness(), 'orders.fifo'), 'InvalidParameterValue');
  });

  it('refuses FifoQueue=false as an unknown attribute (spec §4 AWS-rec)', async () => {
    await rejects(makeQueue(harness(), 'orders', { FifoQueue: 'false' }), 'InvalidAttributeName', 'Unknown Attribute FifoQueue.');
    await rejects(makeQueue(harness(), 'orders.fifo', { FifoQueue: 'false' }), 'InvalidAttributeName', 'Unknown Attribute FifoQueue.');
  });

  it('counts the .fifo suffix toward the 80-character limit', async () => {
    const h = harness();
    await fifo(h, `${'x'.repeat(75)}.fifo`);
    await rejects(fifo(h, `${'x'.repeat(76)}.fifo`), 'InvalidParameterValue');
  });

  it('GetQueueAttributes(All) shows the 12 standard attributes plus the 4 FIFO ones (spec §4 AWS-rec)', async () => {
    const h = harness();
    const got = await attrs(h, await fifo(h));
    assert.deepEqual(Object.keys(got).sort(), [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesDelayed',
      'ApproximateNumberOfMessagesNotVisible',
      'ContentBasedDeduplication',
      'CreatedTimestamp',
      'DeduplicationScope',
      'DelaySeconds',
      'FifoQueue',
      'FifoThroughputLimit',
      'LastModifiedTimestamp',
      'MaximumMessageSize',
      'MessageRetentionPeriod',
      'QueueArn',
      'ReceiveMessageWaitTimeSeconds',
      'SqsManagedSseEnabled',
      'VisibilityTimeout',
    ]);
    assert.deepEqual(
      [got.FifoQueue, got.ContentBasedDeduplication, got.DeduplicationScope, got.FifoThroughputLimit],
      ['true', 'false', 'queue', 'perQueue'],
    );
  });

  it('a standard queue shows none of the FIFO attributes', async () => {
    const h = harness();
    const got = await attrs(h, await makeQueue(h, 'plain'));
    for (const name of ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']) assert.equal(got[name], undefined, name);
  });

  it('accepts ContentBasedDeduplication, DeduplicationScope and FifoThroughputLimit (high throughput)', async () => {
    const h = harness();
    const url = await fifo(h, 'ht.fifo', { ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const got = await attrs(h, url, ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
    assert.deepEqual(got, { ContentBasedDeduplication: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
  });

  it('DeduplicationScope=messageGroup works without FifoThroughputLimit (spec §4 AWS-rec)', async () => {
    const h = harness();
    const url = await fifo(h, 'scope.fifo', { DeduplicationScope: 'messageGroup' });
    assert.deepEqual(await attrs(h, url, ['DeduplicationScope', 'FifoThroughputLimit']), { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perQueue' });
  });

  it('refuses FifoThroughputLimit=perMessageGroupId unless DeduplicationScope is messageGroup', async () => {
    const h = harness();
    await rejects(fifo(h, 'a.fifo', { FifoThroughputLimit: 'perMessageGroupId' }), 'InvalidAttributeValue', /perMessageGroupId/);
    await rejects(fifo(h, 'b.fifo', { FifoThroughputLimit: 'perMessageGroupId', DeduplicationScope: 'queue' }), 'InvalidAttributeValue', /perMessageGroupId/);
    // The same rule on SetQueueAttributes, judged against the queue's current values.
    const url = await fifo(h, 'c.fifo');
    await rejects(h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { FifoThroughputLimit: 'perMessageGroupId' } }), 'InvalidAttributeValue');
    await h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { DeduplicationScope: 'messageGroup' } });
    await h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { FifoThroughputLimit: 'perMessageGroupId' } });
    // ...and going back to queue scope while perMessageGroupId is on is refused too.
    await rejects(h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { DeduplicationScope: 'queue' } }), 'InvalidAttributeValue');
  });

  it('refuses bad values of the FIFO attributes', async () => {
    const h = harness();
    await rejects(fifo(h, 'a.fifo', { DeduplicationScope: 'group' }), 'InvalidAttributeValue');
    await rejects(fifo(h, 'b.fifo', { FifoThroughputLimit: 'perGroup' }), 'InvalidAttributeValue');
    await rejects(fifo(h, 'c.fifo', { ContentBasedDeduplication: 'yes' }), 'InvalidAttributeValue');
  });

  it('is idempotent with the same FIFO attributes, and conflicts on a different one (AWS-rec test_create_fifo_queue_with_*_attributes*)', async () => {
    const h = harness();
    const url = await fifo(h, 'idem.fifo', { ContentBasedDeduplication: 'true' });
    assert.equal(await fifo(h, 'idem.fifo', { ContentBasedDeduplication: 'true' }), url);
    assert.equal(await fifo(h, 'idem.fifo'), url);
    await rejects(
      fifo(h, 'idem.fifo', { ContentBasedDeduplication: 'false' }),
      'QueueNameExists',
      'A queue already exists with the same name and a different value for attribute ContentBasedDeduplication',
    );
  });
});

describe('SendMessage on a FIFO queue', () => {
  it('requires MessageGroupId: MissingParameter (AWS-rec test_posting_to_fifo_requires_deduplicationid_group_id)', async () => {
    const h = harness();
    const url = await fifo(h);
    await rejects(
      h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' }),
      'MissingParameter',
      'The request must contain the parameter MessageGroupId.',
    );
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 0 });
  });

  it('requires a dedup id unless ContentBasedDeduplication is on (AWS-rec, exact text)', async () => {
    const h = harness();
    const url = await fifo(h);
    await rejects(
      h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' }),
      'InvalidParameterValue',
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    assert.equal((await counts(h, url)).visible, 0);
  });

  it('with ContentBasedDeduplication the dedup id is the SHA-256 hex of the body, attributes excluded', async () => {
    const h = harness();
    const url = await fifo(h, 'cbd.fifo', { ContentBasedDeduplication: 'true' });
    const first = await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'stock 42 🚀', MessageGroupId: 'sku-1' });
    // Same body, different attributes: the same content id, so a duplicate (spec §6.7).
    const second = await h.a.SendMessage(ctx, {
      QueueUrl: url,
      MessageBody: 'stock 42 🚀',
      MessageGroupId: 'sku-1',
      MessageAttributes: { a: { DataType: 'String', StringValue: 'different' } },
    });
    assert.equal(second.MessageId, first.MessageId);
    const [m] = await receive(h, url, { MessageSystemAttributeNames: ['MessageDeduplicationId'] });
    assert.equal(m.Attributes?.MessageDeduplicationId, sha256('stock 42 🚀'));
    assert.match(m.Attributes!.MessageDeduplicationId!, /^[0-9a-f]{64}$/);
    assert.equal((await counts(h, url)).inflight, 1, 'the duplicate was not enqueued');
  });

  it('an explicit MessageDeduplicationId overrides content-based deduplication', async () => {
    const h = harness();
    const url = await fifo(h, 'cbd.fifo', { ContentBasedDeduplication: 'true' });
    const a = await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g', MessageDeduplicationId: 'one' });
    const b = await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g', MessageDeduplicationId: 'two' });
    assert.notEqual(a.MessageId, b.MessageId);
    const got = await receive(h, url, { MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageDeduplicationId'] });
    assert.deepEqual(got.map((m) => m.Attributes?.MessageDeduplicationId), ['one', 'two']);
  });

  // Spec §2: "Value <v> for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can
  // only include alphanumeric and punctuation characters. 1 to 128 in length." (<v> empty when empty).
  const badIds: [string, string][] = [
    ['empty', ''],
    ['129 characters', 'x'.repeat(129)],
    ['a space', 'has space'],
    ['a tab', 'tab\there'],
    ['a non-ASCII letter', 'café'],
    ['an emoji', 'sku-🚀'],
  ];
  for (const param of ['MessageGroupId', 'MessageDeduplicationId'] as const) {
    for (const [label, value] of badIds) {
      it(`refuses a ${param} with ${label} (spec §2 text)`, async () => {
        const h = harness();
        const url = await fifo(h);
        await rejects(
          h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', [param]: value }),
          'InvalidParameterValue',
          `Value ${value} for parameter ${param} is invalid. Reason: ${param} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
        );
      });
    }
    it(`accepts a ${param} of 128 characters and every ASCII punctuation mark`, async () => {
      const h = harness();
      const url = await fifo(h);
      for (const value of ['y'.repeat(128), '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', 'A9']) {
        await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: value, MessageGroupId: 'g', MessageDeduplicationId: `d${value.length}`, [param]: value });
      }
      assert.equal((await counts(h, url)).visible, 3);
    });
  }

  it('refuses a per-message DelaySeconds > 0 with the AWS text (AWS-rec test_fifo_queue_send_message_with_delay_seconds_fails)', async () => {
    const h = harness();
    const url = await fifo(h);
    await rejects(
      sendFifo(h, url, 'x', { DelaySeconds: 2 }),
      'InvalidParameterValue',
      'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    );
    assert.equal((await counts(h, url)).visible, 0);
  });

  it('accepts DelaySeconds=0 (AWS-rec test_send_message_with_delay_0_works_for_fifo)', async () => {
    const h = harness();
    const url = await fifo(h);
    const sent = await sendFifo(h, url, 'Hello World!', { DelaySeconds: 0 });
    const [m] = await receive(h, url);
    assert.equal(m.MD5OfBody, sent.MD5OfMessageBody);
  });

  it('the queue DelaySeconds still applies, and the group keeps its order (AWS-rec test_fifo_queue_send_message_with_delay_on_queue_works)', async () => {
    const h = harness();
    const url = await fifo(h, 'delayed.fifo', { DelaySeconds: '2', ContentBasedDeduplication: 'true' });
    for (const body of ['message-1', 'message-2', 'message-3']) await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: body, MessageGroupId: '1', DelaySeconds: 0 });
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 3 });
    assert.deepEqual(await receive(h, url, { MaxNumberOfMessages: 3 }), []);
    h.clock.advance(1_999);
    assert.deepEqual(await receive(h, url, { MaxNumberOfMessages: 3 }), []);
    h.clock.advance(1);
    assert.deepEqual((await receive(h, url, { MaxNumberOfMessages: 3 })).map((m) => m.Body), ['message-1', 'message-2', 'message-3']);
  });

  it('returns a 20-digit SequenceNumber, strictly increasing within a group (AWS-rec test_fifo_sequence_number_increases)', async () => {
    const h = harness();
    const url = await fifo(h);
    const seqs: bigint[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await sendFifo(h, url, `m${i}`);
      assert.match(r.SequenceNumber!, /^\d{20}$/);
      seqs.push(BigInt(r.SequenceNumber!));
      await sendFifo(h, url, `other${i}`, { MessageGroupId: 'other' }); // interleaved group
    }
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], `${seqs[i]} > ${seqs[i - 1]}`);
  });

  it('the SequenceNumber system attribute equals what the send returned', async () => {
    const h = harness();
    const url = await fifo(h);
    const sent = await sendFifo(h, url, 'a');
    const [m] = await receive(h, url, { AttributeNames: ['SequenceNumber', 'MessageGroupId'] });
    assert.deepEqual(m.Attributes, { SequenceNumber: sent.SequenceNumber, MessageGroupId: 'g' });
  });

  it('a standard queue returns no SequenceNumber (AWS-rec test_sequence_number)', async () => {
    const h = harness();
    const url = await makeQueue(h, 'plain');
    const r = await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'x' });
    assert.equal(r.SequenceNumber, undefined);
  });
});

describe('SendMessageBatch on a FIFO queue', () => {
  const entry = (id: string, extra: Record<string, unknown> = {}) => ({ Id: id, MessageBody: `body-${id}`, MessageGroupId: 'g', MessageDeduplicationId: `d-${id}`, ...extra });

  it('a missing MessageGroupId fails the whole batch with InvalidParameterValue (AWS-rec test_send_batch_missing_message_group_id_for_fifo_queue)', async () => {
    const h = harness();
    const url = await fifo(h);
    await rejects(
      h.a.SendMessageBatch(ctx, { QueueUrl: url, Entries: [entry('a'), entry('b', { MessageGroupId: undefined })] }),
      'InvalidParameterValue',
      'The request must contain the parameter MessageGroupId.',
    );
    assert.equal((await counts(h, url)).visible, 0, 'not even the good entry is stored');
  });

  it('a missing dedup id (CBD off) fails the whole batch (AWS-rec test_send_batch_missing_deduplication_id_for_fifo_queue)', async () => {
    const h = harness();
    const url = await fifo(h);
    await rejects(
      h.a.SendMessageBatch(ctx, { QueueUrl: url, Entries: [entry('a'), entry('b', { MessageDeduplicationId: undefined })] }),
      'InvalidParameterValue',
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    assert.equal((await counts(h, url)).visible, 0);
  });

  it('with ContentBasedDeduplication on, entries need no dedup id', async () => {
    const h = harness();
    const url = await fifo(h, 'cbd.fifo', { ContentBasedDeduplication: 'true' });
    const r = await h.a.SendMessageBatch(ctx, { QueueUrl: url, Entries: [entry('a', { MessageDeduplicationId: undefined }), entry('b', { MessageDeduplicationId: undefined })] });
    assert.equal(r.Successful.length, 2);
    assert.equal(r.Failed, undefined);
  });

  it('enqueues entries in request order with increasing sequence numbers (spec §3)', async () => {
    const h = harness();
    const url = await fifo(h);
    const ids = ['e9', 'e3', 'e7', 'e0', 'e5', 'e1', 'e8', 'e2', 'e6', 'e4'];
    const r = await h.a.SendMessageBatch(ctx, { QueueUrl: url, Entries: ids.map((id) => entry(id)) });
    assert.deepEqual(r.Successful.map((s) => s.Id), ids);
    const seqs = r.Successful.map((s) => BigInt(s.SequenceNumber!));
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1]);
    const got = await receive(h, url, { MaxNumberOfMessages: 10, AttributeNames: ['SequenceNumber'] });
    assert.deepEqual(got.map((m) => m.Body), ids.map((id) => `body-${id}`));
    assert.deepEqual(got.map((m) => m.MessageId), r.Successful.map((s) => s.MessageId));
    assert.deepEqual(got.map((m) => m.Attributes?.SequenceNumber), r.Successful.map((s) => s.SequenceNumber));
  });

  it('a per-entry problem fails only that entry; the rest keep their order', async () => {
    const h = harness();
    const url = await fifo(h);
    const r = await h.a.SendMessageBatch(ctx, {
      QueueUrl: url,
      Entries: [entry('a'), entry('b', { DelaySeconds: 5 }), entry('c', { MessageGroupId: 'bad group' }), entry('d')],
    });
    assert.deepEqual(r.Successful.map((s) => s.Id), ['a', 'd']);
    assert.deepEqual(wire(r.Failed), [
      {
        Id: 'b',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message: 'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
      },
      {
        Id: 'c',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message: 'Value bad group for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
      },
    ]);
    assert.deepEqual((await receive(h, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body), ['body-a', 'body-d']);
  });

  it('entries of several groups keep each group in request order', async () => {
    const h = harness();
    const url = await fifo(h);
    const groups = ['x', 'y', 'x', 'z', 'y', 'x'];
    await h.a.SendMessageBatch(ctx, { QueueUrl: url, Entries: groups.map((g, i) => entry(`m${i}`, { MessageGroupId: g })) });
    const got = await receive(h, url, { MaxNumberOfMessages: 10, AttributeNames: ['MessageGroupId'] });
    const byGroup = (g: string) => got.filter((m) => m.Attributes?.MessageGroupId === g).map((m) => m.Body);
    assert.deepEqual(byGroup('x'), ['body-m0', 'body-m2', 'body-m5']);
    assert.deepEqual(byGroup('y'), ['body-m1', 'body-m4']);
    assert.deepEqual(byGroup('z'), ['body-m3']);
  });
});
