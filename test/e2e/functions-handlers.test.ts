// Real handler modules in child processes, started through startPier(): an ES module (async) and a
// CommonJS module (callback), a TypeScript module, Lambda's event and context, the function's environment, warm reuse,
// partial batch failures retrying exactly the failed ids, the DLQ after maxReceiveCount, FIFO.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startPier, type StartedPier } from '../../src/index.js';
import { client, depth, FN, fnMetrics, lines, scratch, waitFor } from './functions-helpers.js';

interface Line {
  style: string;
  requestId: string;
  functionName: string;
  bodies: string[];
  ids: string[];
  warm: number;
  pid: number;
  event: { Records: Record<string, unknown>[] };
  [k: string]: unknown;
}

describe('handler modules under startPier()', () => {
  const tmp = scratch('fn');
  let pier: StartedPier;
  let sqs: SQSClient;
  const send = (queue: string, bodies: string[], extra: object = {}) =>
    sqs.send(new SendMessageBatchCommand({ QueueUrl: pier.queueUrl(queue), Entries: bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody, ...extra })) }));

  before(async () => {
    pier = await startPier({
      logLevel: 'error',
      config: {
        queues: {
          dlq: {},
          esm: { attributes: { VisibilityTimeout: 1 }, redrivePolicy: { deadLetterQueue: 'dlq', maxReceiveCount: 2 } },
          cjs: { attributes: { VisibilityTimeout: 1 } },
          nested: {},
          ts: {},
          misnamed: { attributes: { VisibilityTimeout: 1 } },
          'ordered.fifo': { attributes: { VisibilityTimeout: 1, ContentBasedDeduplication: true } },
        },
        functions: {
          esm: {
            handler: 'app.handler',
            codeUri: `${FN}/esm`,
            timeout: 5,
            memorySize: 192,
            environment: { OUT_FILE: tmp.out('esm'), GREETING: 'hello', MODE: 'partial' },
            events: [{ queue: 'esm', functionResponseTypes: ['ReportBatchItemFailures'], maximumConcurrency: 1 }],
          },
          cjs: { handler: 'index.handler', codeUri: `${FN}/cjs`, environment: { OUT_FILE: tmp.out('cjs') }, events: [{ queue: 'cjs' }] },
          nested: { handler: 'sync.handlers.plain', codeUri: `${FN}/cjs`, events: [{ queue: 'nested' }] },
          ts: { handler: 'handler.handler', codeUri: `${FN}/ts`, environment: { OUT_FILE: tmp.out('ts') }, events: [{ queue: 'ts' }] },
          misnamed: { handler: 'app.handler', codeUri: `${FN}/esm`, environment: { OUT_FILE: tmp.out('misnamed'), MODE: 'misnamed' }, events: [{ queue: 'misnamed', functionResponseTypes: ['ReportBatchItemFailures'] }] },
          fifo: {
            handler: 'app.handler',
            codeUri: `${FN}/esm`,
            environment: { OUT_FILE: tmp.out('fifo'), MODE: 'partial' },
            events: [{ queue: 'ordered.fifo', functionResponseTypes: ['ReportBatchItemFailures'] }],
          },
        },
      },
    });
    sqs = client(pier.endpoint);
  });
  after(async () => {
    sqs.destroy();
    await pier.stop();
    tmp.cleanup();
  });

  test('ESM async handler: the SQSEvent, context and environment are Lambda’s', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: pier.queueUrl('esm'), MessageBody: 'hello', MessageAttributes: { Author: { DataType: 'String', StringValue: 'John Grisham' } } }));
    await waitFor(() => lines(tmp.out('esm')).length >= 1, 'an invocation');
    const l = lines<Line>(tmp.out('esm'))[0]!;
    const r = l.event.Records[0]!;
    assert.deepEqual(Object.keys(r), ['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion']);
    assert.deepEqual(r.messageAttributes, { Author: { stringValue: 'John Grisham', stringListValues: [], binaryListValues: [], dataType: 'String' } });
    assert.equal(r.eventSourceARN, 'arn:aws:sqs:us-east-1:000000000000:esm');
    assert.deepEqual(Object.keys(r.attributes as object), ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
    assert.equal(l.functionName, 'esm');
    assert.equal(l.memoryLimitInMB, '192');
    assert.equal(l.invokedFunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:esm');
    assert.equal(l.logGroupName, '/aws/lambda/esm');
    assert.match(l.requestId, /^[0-9a-f-]{36}$/);
    assert.ok((l.remainingMs as number) > 3000 && (l.remainingMs as number) <= 5000, `remaining ${l.remainingMs}`);
    assert.equal(l.greeting, 'hello');
    assert.equal(l.lambdaName, 'esm');
    assert.equal(l.cwd, `${FN}/esm`);
    await waitFor(async () => (await depth(sqs, pier.queueUrl('esm'))).inflight === 0, 'deleted');
  });

  test('partial batch failure: exactly the failed ids come back, reach the DLQ after maxReceiveCount; the environment stays warm', async () => {
    const before = lines<Line>(tmp.out('esm')).length;
    await send('esm', ['ok-1', 'bad-1', 'ok-2', 'bad-2']);
    await waitFor(async () => (await depth(sqs, pier.queueUrl('dlq'))).visible === 2, 'both bad messages in the DLQ');
    const calls = lines<Line>(tmp.out('esm')).slice(before);
    const firstBad = calls[0]!.ids.filter((_, i) => calls[0]!.bodies[i]!.startsWith('bad')).sort();
    const retried = calls.slice(1).flatMap((c) => c.ids);
    assert.ok(retried.length >= 2, 'retried at least once');
    assert.deepEqual([...new Set(retried)].sort(), firstBad, 'only the failed ids were retried');
    assert.deepEqual((await depth(sqs, pier.queueUrl('esm'))), { visible: 0, inflight: 0 });
    assert.equal(new Set(calls.map((c) => c.pid)).size, 1, 'one warm process served every invocation');
    assert.ok(calls.at(-1)!.warm > calls[0]!.warm, 'module state survived between invocations');
  });

  test('CommonJS callback handler; callback(err) fails the batch; nested export path in a .cjs file', async () => {
    await send('cjs', ['c1', 'c2']);
    await waitFor(async () => lines(tmp.out('cjs')).length >= 1 && (await depth(sqs, pier.queueUrl('cjs'))).inflight === 0, 'cjs batch done');
    assert.equal(lines<Line>(tmp.out('cjs'))[0]!.style, 'cjs-callback');
    await send('cjs', ['callback-error']);
    await waitFor(async () => (await fnMetrics(pier.endpoint, 'cjs')).errors >= 1, 'callback error counted');
    await send('nested', ['n1']);
    await waitFor(async () => (await fnMetrics(pier.endpoint, 'nested')).messagesDeleted === 1, 'nested handler ran');
  });

  test('a TypeScript handler runs as written, with its relative imports', async () => {
    await send('ts', ['t1', 't2']);
    await waitFor(() => lines(tmp.out('ts')).length >= 1, 'the TypeScript handler ran');
    assert.deepEqual(lines(tmp.out('ts'))[0]!.style, 'typescript');
    assert.equal(lines<{ summary: string }>(tmp.out('ts'))[0]!.summary, '2 records: t1,t2');
  });

  test('a misnamed itemIdentifier fails the whole batch (nothing deleted)', async () => {
    await send('misnamed', ['x1', 'x2']);
    await waitFor(() => lines(tmp.out('misnamed')).length >= 2, 'the batch is retried whole');
    const [first, second] = lines<Line>(tmp.out('misnamed'));
    assert.deepEqual([...second!.ids].sort(), [...first!.ids].sort());
  });

  test('FIFO: a failed message and the rest of its group come back in order; other groups are done', async () => {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: pier.queueUrl('ordered.fifo'),
        Entries: ['a1', 'bad-a2', 'a3', 'b1', 'b2'].map((b, i) => ({ Id: String(i), MessageBody: b, MessageGroupId: b.includes('a') ? 'A' : 'B' })),
      }),
    );
    await waitFor(() => lines(tmp.out('fifo')).length >= 2, 'a retry');
    const calls = lines<Line>(tmp.out('fifo'));
    assert.deepEqual(calls[0]!.bodies.filter((b) => b.includes('a')), ['a1', 'bad-a2', 'a3'], 'group order in the batch');
    assert.deepEqual(calls[1]!.bodies, ['bad-a2', 'a3'], 'the failed message and its later group members, in order');
    const fifoRecord = calls[0]!.event.Records[0]!.attributes as Record<string, string>;
    assert.equal(fifoRecord.MessageGroupId, 'A');
    assert.match(fifoRecord.SequenceNumber!, /^\d+$/);
  });
});
