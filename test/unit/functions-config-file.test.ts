// pier.config.yaml: what it declares, and that every mistake names its file, line, column and key.
// Also applying it twice is idempotent (attributes updated, messages kept).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { applyDeclarations } from '../../src/config/apply.js';
import { DeclarationError } from '../../src/config/declarations.js';
import { configFromObject, configKeys, loadConfigFile } from '../../src/config/file.js';
import { attrs, counts, ctx, harness, send, urlFor } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pier-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const scope = { accountId: '000000000000', region: 'us-east-1' };
let n = 0;
const load = (text: string) => {
  const file = join(dir, `c${n++}.yaml`);
  writeFileSync(file, text);
  return { file, d: loadConfigFile(file, scope) };
};

const GOOD = `
queues:
  orders-dlq: {}
  orders:
    attributes: { VisibilityTimeout: 45, DelaySeconds: 0 }
    tags: { team: shop }
    redrivePolicy: { deadLetterQueue: orders-dlq, maxReceiveCount: 3 }
  inventory.fifo:
    attributes: { ContentBasedDeduplication: true }
topics:
  order-accepted: { attributes: { DisplayName: Orders } }
subscriptions:
  - topic: order-accepted
    queue: orders
    rawMessageDelivery: true
    filterPolicy: { amount: [{ numeric: [">", 100] }] }
functions:
  inventory:
    handler: app.handler
    codeUri: ./code
    timeout: 30
    memorySize: 256
    environment: { TABLE: stock }
    events:
      - queue: orders
        batchSize: 10
        functionResponseTypes: [ReportBatchItemFailures]
        maximumConcurrency: 5
  hook:
    url: http://127.0.0.1:9/hook
    events: [{ queue: inventory.fifo, enabled: false }]
`;

test('a full config declares queues, topics, subscriptions, functions and mappings', () => {
  const { d } = load(GOOD);
  assert.deepEqual(d.queues.map((q) => q.name), ['orders-dlq', 'orders', 'inventory.fifo']);
  assert.deepEqual(d.queues[1]!.attributes, { VisibilityTimeout: '45', DelaySeconds: '0' });
  assert.deepEqual(d.queues[1]!.redrive, { deadLetterQueue: 'orders-dlq', maxReceiveCount: 3 });
  assert.equal(d.queues[2]!.attributes.FifoQueue, 'true');
  assert.deepEqual(d.subscriptions[0], {
    topic: 'order-accepted',
    protocol: 'sqs',
    endpoint: 'arn:aws:sqs:us-east-1:000000000000:orders',
    attributes: { RawMessageDelivery: 'true', FilterPolicy: '{"amount":[{"numeric":[">",100]}]}' },
    at: 'subscriptions.0',
  });
  const inventory = d.functions[0]!;
  assert.equal(inventory.kind, 'module');
  assert.equal(inventory.kind === 'module' && inventory.codeDir, join(dir, 'code'), 'codeUri is relative to the file');
  assert.deepEqual(d.mappings.map((m) => [m.functionName, m.queueArn, m.batchSize, m.reportBatchItemFailures, m.maximumConcurrency, m.enabled]), [
    ['inventory', 'arn:aws:sqs:us-east-1:000000000000:orders', 10, true, 5, true],
    ['hook', 'arn:aws:sqs:us-east-1:000000000000:inventory.fifo', 10, false, undefined, false],
  ]);
});

describe('errors point at the key that is wrong', () => {
  const cases: { name: string; text: string; want: RegExp }[] = [
    { name: 'unknown top-level key', text: 'queue:\n  a: {}\n', want: /:1:1: queue: unknown key; expected one of queues, topics/ },
    { name: 'misspelt key, case', text: 'queues:\n  a:\n    Attributes: {}\n', want: /:3:5: queues\.a\.Attributes: unknown key \(did you mean attributes\?\)/ },
    { name: 'dead-letter queue not declared', text: 'queues:\n  a:\n    redrivePolicy: { deadLetterQueue: nope, maxReceiveCount: 2 }\n', want: /:3:39: queues\.a\.redrivePolicy\.deadLetterQueue: no queue named nope/ },
    { name: 'maxReceiveCount out of range', text: 'queues:\n  d: {}\n  a:\n    redrivePolicy: { deadLetterQueue: d, maxReceiveCount: 0 }\n', want: /:4:59: queues\.a\.redrivePolicy\.maxReceiveCount: must be an integer from 1 to 1000, got 0/ },
    {
      name: 'batch size over the FIFO limit',
      text: 'queues:\n  q.fifo: {}\nfunctions:\n  f:\n    handler: a.h\n    events:\n      - queue: q.fifo\n        batchSize: 11\n',
      want: /:8:20: functions\.f\.events\[0\]\.batchSize: must be an integer from 1 to 10 for a FIFO queue, got 11/,
    },
    { name: 'window needed above 10', text: 'queues:\n  q: {}\nfunctions:\n  f:\n    handler: a.h\n    events: [{ queue: q, batchSize: 100 }]\n', want: /functions\.f\.events\[0\]\.maximumBatchingWindowInSeconds: must be at least 1/ },
    { name: 'event on an undeclared queue', text: 'functions:\n  f:\n    handler: a.h\n    events: [{ queue: missing }]\n', want: /:4:23: functions\.f\.events\[0\]\.queue: no queue named missing/ },
    { name: 'handler without export', text: 'functions:\n  f:\n    handler: app\n', want: /:3:14: functions\.f\.handler: must look like file\.export/ },
    { name: 'timeout too long', text: 'functions:\n  f:\n    handler: a.h\n    timeout: 901\n', want: /:4:14: functions\.f\.timeout: must be an integer from 1 to 900/ },
    { name: 'url function with a handler', text: 'functions:\n  f:\n    url: http://x/\n    handler: a.h\n', want: /:4:5: functions\.f\.handler: does not apply to a url function/ },
    { name: 'subscription to an undeclared topic', text: 'subscriptions:\n  - topic: t\n    endpoint: http://x/\n', want: /:2:12: subscriptions\[0\]\.topic: no topic named t/ },
    { name: 'bad response type', text: 'queues: { q: {} }\nfunctions:\n  f:\n    handler: a.h\n    events: [{ queue: q, functionResponseTypes: [Everything] }]\n', want: /functions\.f\.events\[0\]\.functionResponseTypes\[0\]: must be ReportBatchItemFailures/ },
    { name: 'YAML syntax', text: 'queues:\n  a: {\n', want: /:\d+:\d+: / },
    { name: 'duplicate key', text: 'queues:\n  a: {}\n  a: {}\n', want: /:3:3: Map keys must be unique/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.throws(() => load(c.text), (e) => e instanceof DeclarationError && c.want.test(e.message) && e.message.includes('.yaml:'), `message matches ${c.want}`);
    });
  }
  test('an inline object config fails with the key path too', () => {
    assert.throws(() => configFromObject({ queues: { a: { attributes: { RedrivePolicy: '{}' } } } }, dir, scope), /config: queues\.a\.attributes\.RedrivePolicy: use redrivePolicy/);
  });
});

test('JSON config files are read the same way', () => {
  const file = join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ queues: { a: { attributes: { VisibilityTimeout: 5 } } }, functions: { f: { handler: 'x.y', events: [{ queue: 'a', batchSize: 0 }] } } }, null, 2));
  assert.throws(() => loadConfigFile(file, scope), /c\.json:\d+:\d+: functions\.f\.events\[0\]\.batchSize: must be an integer from 1 to 10000, got 0/);
});

test('applying twice is idempotent: attributes updated, messages kept; topics need SNS', async () => {
  const h = harness();
  const first = configFromObject({ queues: { dlq: {}, q: { attributes: { VisibilityTimeout: 10 }, tags: { a: '1' }, redrivePolicy: { deadLetterQueue: 'dlq', maxReceiveCount: 2 } } } }, dir, scope);
  await applyDeclarations(first, { sqs: h.service, ctx });
  await send(h, urlFor('q'), 'keep me');
  const second = configFromObject({ queues: { dlq: {}, q: { attributes: { VisibilityTimeout: 20 }, tags: { b: '2' }, redrivePolicy: { deadLetterQueue: 'dlq', maxReceiveCount: 4 } } } }, dir, scope);
  await applyDeclarations(second, { sqs: h.service, ctx });
  const a = await attrs(h, urlFor('q'));
  assert.equal(a.VisibilityTimeout, '20');
  assert.deepEqual(JSON.parse(a.RedrivePolicy!), { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 4 });
  assert.equal((await counts(h, urlFor('q'))).visible, 1, 'the message survived');
  assert.deepEqual((await h.a.ListQueueTags(ctx, { QueueUrl: urlFor('q') })).Tags, { a: '1', b: '2' });
  const fifoClash = configFromObject({ queues: { q: { attributes: { FifoQueue: true } } } }, dir, scope);
  await assert.rejects(applyDeclarations(fifoClash, { sqs: h.service, ctx }), /queue q \(queues\.q\): exists with a different queue type/);
  const withTopic = configFromObject({ topics: { t: {} } }, dir, scope);
  await assert.rejects(applyDeclarations(withTopic, { sqs: h.service, ctx }), /topics and subscriptions are not yet supported by this server \(no SNS service\): topic t/);
});

test('pier-config.schema.json names exactly the keys the loader accepts', () => {
  const schema = JSON.parse(readFileSync(resolve(fileURLToPath(import.meta.url), '../../../../src/config/pier-config.schema.json'), 'utf8'));
  const keys = (o: { properties: object }) => Object.keys(o.properties).sort();
  const p = schema.properties;
  assert.deepEqual(keys(schema), [...configKeys.top].sort());
  assert.deepEqual(keys(p.queues.additionalProperties), [...configKeys.queue].sort());
  assert.deepEqual(keys(p.topics.additionalProperties), [...configKeys.topic].sort());
  assert.deepEqual(keys(p.subscriptions.items), [...configKeys.subscription].sort());
  assert.deepEqual(keys(p.functions.additionalProperties), [...configKeys.function].sort());
  assert.deepEqual(keys(p.functions.additionalProperties.properties.events.items), [...configKeys.event].sort());
});
