// Conformance through the libraries applications actually use on top of the SDK: bbc's
// sqs-producer (SendMessageBatch in chunks of 10) and sqs-consumer (long-poll loop, handler,
// delete / delete-batch, visibility on failure) end to end against a real env.server.
// Waits are for events, never for wall-clock amounts; a generous guard only stops a hang.
import { CreateQueueCommand, GetQueueAttributesCommand, type Message } from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Consumer, type ConsumerOptions } from 'sqs-consumer';
import { Producer } from 'sqs-producer';
import { useSqsServer } from './server.js';

const env = useSqsServer();

const createQueue = async (QueueName: string, Attributes?: Record<string, string>) =>
  (await env.sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;

async function counts(QueueUrl: string) {
  const { Attributes = {} } = await env.sqs.send(new GetQueueAttributesCommand({
    QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
  }));
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    inflight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
  };
}

/** Resolves once `done()` is true after an event, rejecting if it never happens (hang guard). */
function until(consumer: Consumer, events: string[], done: () => boolean, what: string, guardMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      clearTimeout(guard);
      for (const e of events) consumer.off(e as never, check);
      resolve();
    };
    const guard = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), guardMs);
    for (const e of events) consumer.on(e as never, check);
  });
}

/** A consumer on our client, recording every error event so a test can assert there were none. */
function consumerFor(options: Partial<ConsumerOptions> & Pick<ConsumerOptions, 'queueUrl'>) {
  const errors: string[] = [];
  const consumer = Consumer.create({ sqs: env.sqs, waitTimeSeconds: 1, strictReturn: true, ...options });
  consumer.on('error', (e) => errors.push(`error: ${e.message}`));
  consumer.on('timeout_error', (e) => errors.push(`timeout_error: ${e.message}`));
  return { consumer, errors };
}

function stop(consumer: Consumer): Promise<void> {
  return new Promise((resolve) => {
    consumer.once('stopped', () => resolve());
    consumer.stop({ abort: true });
  });
}

describe('sqs-producer + sqs-consumer', () => {
  const N = 25;

  it('produces N messages in batches and a handleMessage consumer processes and deletes each once', async () => {
    const queueUrl = await createQueue('lib-single');
    const producer = Producer.create({ queueUrl, sqs: env.sqs });
    const sent = await producer.send(Array.from({ length: N }, (_, i) => ({
      id: `m${i}`, body: JSON.stringify({ order: i }),
      messageAttributes: { kind: { DataType: 'String', StringValue: i % 2 ? 'odd' : 'even' } },
    })));
    assert.equal(sent.length, N);
    assert.deepEqual(sent.map((s) => s.Id).sort(), Array.from({ length: N }, (_, i) => `m${i}`).sort());
    assert.equal(await producer.queueSize(), N);

    const handled: Message[] = [];
    const processed = new Set<string>();
    const { consumer, errors } = consumerFor({
      queueUrl, messageAttributeNames: ['All'],
      handleMessage: async (m) => {
        handled.push(m);
        return m;
      },
    });
    consumer.on('processing_error', (e) => errors.push(`processing_error: ${e.message}`));
    consumer.on('message_processed', (m) => processed.add(m.MessageId!));
    const allProcessed = until(consumer, ['message_processed'], () => processed.size === N, `${N} processed messages`);
    consumer.start();
    try {
      await allProcessed;
    } finally {
      await stop(consumer);
    }
    assert.deepEqual(errors, []);
    assert.equal(handled.length, N, 'each message handled exactly once');
    assert.deepEqual(handled.map((m) => JSON.parse(m.Body!).order).sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i));
    assert.ok(handled.every((m) => m.MessageAttributes?.kind.StringValue === (JSON.parse(m.Body!).order % 2 ? 'odd' : 'even')));
    assert.deepEqual(await counts(queueUrl), { visible: 0, inflight: 0, delayed: 0 }, 'every message was deleted');
  });

  it('a handleMessageBatch consumer receives batches and deletes them with DeleteMessageBatch', async () => {
    const queueUrl = await createQueue('lib-batch');
    const producer = Producer.create({ queueUrl, sqs: env.sqs, batchSize: 10 });
    await producer.send(Array.from({ length: N }, (_, i) => ({ id: `b${i}`, body: `batch body ${i}` })));

    const batches: number[] = [];
    const bodies: string[] = [];
    let responses = 0;
    const { consumer, errors } = consumerFor({
      queueUrl, batchSize: 10,
      handleMessageBatch: async (messages) => {
        batches.push(messages.length);
        bodies.push(...messages.map((m) => m.Body!));
        return messages;
      },
    });
    consumer.on('processing_error', (e) => errors.push(`processing_error: ${e.message}`));
    consumer.on('response_processed', () => void (responses += 1));
    const drained = until(consumer, ['response_processed'], () => bodies.length >= N, 'every batch processed');
    consumer.start();
    try {
      await drained;
    } finally {
      await stop(consumer);
    }
    assert.deepEqual(errors, []);
    assert.ok(responses >= 3);
    assert.equal(bodies.length, N, 'no message handled twice');
    assert.deepEqual(new Set(bodies), new Set(Array.from({ length: N }, (_, i) => `batch body ${i}`)));
    assert.ok(batches.every((n) => n >= 1 && n <= 10), `batch sizes ${batches}`);
    assert.ok(Math.max(...batches) > 1, `the server returned multi-message batches (${batches})`);
    assert.deepEqual(await counts(queueUrl), { visible: 0, inflight: 0, delayed: 0 });
  });

  it('a failing handler leaves the message to come back after its visibility timeout, then it is processed', async () => {
    const queueUrl = await createQueue('lib-retry', { VisibilityTimeout: '1' });
    await Producer.create({ queueUrl, sqs: env.sqs }).send([{ id: 'ok', body: 'fine' }, { id: 'flaky', body: 'fail once' }]);

    const deliveries: { body: string; count: string | undefined }[] = [];
    const failures: string[] = [];
    const processed: string[] = [];
    const { consumer, errors } = consumerFor({
      queueUrl, messageSystemAttributeNames: ['ApproximateReceiveCount'],
      handleMessage: async (m) => {
        deliveries.push({ body: m.Body!, count: m.Attributes?.ApproximateReceiveCount });
        if (m.Body === 'fail once' && m.Attributes?.ApproximateReceiveCount === '1') throw new Error('transient failure');
        return m;
      },
    });
    consumer.on('processing_error', (e, m) => failures.push(`${m.Body}: ${e.message}`));
    consumer.on('message_processed', (m) => processed.push(m.Body!));
    const done = until(consumer, ['message_processed'], () => processed.length === 2, 'both messages processed');
    consumer.start();
    try {
      await done;
    } finally {
      await stop(consumer);
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(failures, ['fail once: Unexpected message handler failure: transient failure']);
    assert.deepEqual(processed.sort(), ['fail once', 'fine']);
    assert.deepEqual(
      deliveries.filter((d) => d.body === 'fail once').map((d) => d.count),
      ['1', '2'],
      'redelivered once, with the receive count bumped',
    );
    assert.deepEqual(deliveries.filter((d) => d.body === 'fine').map((d) => d.count), ['1']);
    assert.deepEqual(await counts(queueUrl), { visible: 0, inflight: 0, delayed: 0 });
  });

  it('a handler that always fails sends the message to the dead-letter queue after maxReceiveCount', async () => {
    const dlqUrl = await createQueue('lib-dead');
    const { Attributes } = await env.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
    const queueUrl = await createQueue('lib-poison', {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 2 }),
    });
    await Producer.create({ queueUrl, sqs: env.sqs }).send({ id: 'poison', body: 'never works' });

    const attempts: string[] = [];
    const { consumer: failing, errors } = consumerFor({
      queueUrl, messageSystemAttributeNames: ['ApproximateReceiveCount'],
      handleMessage: async (m) => {
        attempts.push(m.Attributes!.ApproximateReceiveCount!);
        throw new Error('always fails');
      },
    });
    const dead: Message[] = [];
    const { consumer: dlqConsumer, errors: dlqErrors } = consumerFor({
      queueUrl: dlqUrl, messageSystemAttributeNames: ['All'],
      handleMessage: async (m) => {
        dead.push(m);
        return m;
      },
    });
    const arrived = until(dlqConsumer, ['message_processed'], () => dead.length === 1, 'the message in the DLQ');
    failing.start();
    dlqConsumer.start();
    try {
      await arrived;
    } finally {
      await Promise.all([stop(failing), stop(dlqConsumer)]);
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(dlqErrors, []);
    assert.deepEqual(attempts, ['1', '2'], 'handled maxReceiveCount times, then moved');
    assert.equal(dead[0].Body, 'never works');
    assert.equal(dead[0].Attributes?.ApproximateReceiveCount, '3');
    assert.match(dead[0].Attributes?.DeadLetterQueueSourceArn ?? '', /:lib-poison$/);
    assert.deepEqual(await counts(queueUrl), { visible: 0, inflight: 0, delayed: 0 });
    assert.deepEqual(await counts(dlqUrl), { visible: 0, inflight: 0, delayed: 0 });
  });

  it('the producer reports entries the server refused as FailedMessagesError', async () => {
    const queueUrl = await createQueue('lib-refused');
    const producer = Producer.create({ queueUrl, sqs: env.sqs });
    await assert.rejects(
      producer.send([{ id: 'good', body: 'fine' }, { id: 'bad', body: 'control \u0001 char' }]),
      // sqs-producer's FailedMessagesError (not exported from the package root) lists the ids.
      (e: unknown) => (e as { failedMessages?: string[] }).failedMessages?.join() === 'bad' && /Failed to send messages: bad/.test((e as Error).message),
    );
    assert.equal(await producer.queueSize(), 1, 'the good entry was still enqueued');
  });
});
