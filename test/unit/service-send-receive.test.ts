// SendMessage / ReceiveMessage through QueueService: MD5s, delay, visibility expiry, MaxNumberOfMessages,
// system and message attribute filters, size limits, fair-queue group ids (spec §5, §6.1–§6.3).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bin, ctx, harness, makeQueue, receive, rejects, send, str, T0 } from './helpers.js';

describe('SendMessage', () => {
  it('returns the MessageId and MD5s of body and attributes (AWS-rec hashes)', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const out = await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'msg', MessageAttributes: { Hello: str('There'), 'Help.Me': str('Me'), General: str('Kenobi') } });
    assert.equal(out.MD5OfMessageBody, '6e2baaf3b97dbeef01c0043275f9a0e7');
    assert.equal(out.MD5OfMessageAttributes, '4c360f3fdafd970e05fae2f149d997f5');
    assert.equal(out.MD5OfMessageSystemAttributes, undefined);
    assert.match(out.MessageId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
  it('omits MD5OfMessageAttributes without attributes, and gives each message its own id', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const a = await send(h, url, 'x');
    const b = await send(h, url, 'x');
    assert.equal(a.MD5OfMessageAttributes, undefined);
    assert.notEqual(a.MessageId, b.MessageId);
  });
  it('returns MD5OfMessageSystemAttributes for an AWSTraceHeader', async () => {
    const h = harness();
    const out = await h.a.SendMessage(ctx, { QueueUrl: await makeQueue(h, 'q'), MessageBody: 'x', MessageSystemAttributes: { AWSTraceHeader: str('Root=1-abc') } });
    assert.match(out.MD5OfMessageSystemAttributes ?? '', /^[0-9a-f]{32}$/);
  });

  it('refuses an empty body as MissingParameter (AWS-rec text)', async () => {
    const h = harness();
    await rejects(h.a.SendMessage(ctx, { QueueUrl: await makeQueue(h, 'q'), MessageBody: '' }), 'MissingParameter', 'The request must contain the parameter MessageBody.');
  });
  for (const body of ['\x00', '\x08', '\x13', '\uFFFF', 'a\uD800']) {
    it(`refuses body ${JSON.stringify(body)} as InvalidMessageContents (AWS-validated)`, async () => {
      const h = harness();
      await rejects(h.a.SendMessage(ctx, { QueueUrl: await makeQueue(h, 'q'), MessageBody: body }), 'InvalidMessageContents');
    });
  }
  it('refuses a MessageDeduplicationId on a standard queue', async () => {
    const h = harness();
    await rejects(
      h.a.SendMessage(ctx, { QueueUrl: await makeQueue(h, 'q'), MessageBody: 'x', MessageDeduplicationId: 'd1' }),
      'InvalidParameterValue',
      /The request includes a parameter that is not valid for this queue type\./,
    );
  });
  it('refuses a malformed MessageGroupId on a standard queue', async () => {
    const h = harness();
    await rejects(h.a.SendMessage(ctx, { QueueUrl: await makeQueue(h, 'q'), MessageBody: 'x', MessageGroupId: 'bad id' }), 'InvalidParameterValue', /MessageGroupId/);
  });
  for (const d of [-1, 901]) {
    it(`refuses DelaySeconds ${d}`, async () => {
      const h = harness();
      await rejects(h.a.SendMessage(ctx, { QueueUrl: await makeQueue(h, 'q'), MessageBody: 'x', DelaySeconds: d }), 'InvalidParameterValue', /DelaySeconds/);
    });
  }
});

describe('message size vs MaximumMessageSize (body + attributes)', () => {
  // 1000-byte body + name "abcd" (4) + "String" (6) + value: the value fills up to 1024 exactly.
  const fill = (valueBytes: number) => ({ MessageBody: 'b'.repeat(1000), MessageAttributes: { abcd: str('v'.repeat(valueBytes)) } });
  it('accepts a message of exactly MaximumMessageSize bytes', async () => {
    const h = harness();
    await h.a.SendMessage(ctx, { QueueUrl: await makeQueue(h, 'q', { MaximumMessageSize: '1024' }), ...fill(14) });
  });
  it('refuses one byte more, counting the attributes (AWS-rec text)', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { MaximumMessageSize: '1024' });
    await rejects(h.a.SendMessage(ctx, { QueueUrl: url, ...fill(15) }), 'InvalidParameterValue', 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
  });
  it('counts UTF-8 bytes of the body', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { MaximumMessageSize: '1024' });
    await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'é'.repeat(512) });
    await rejects(h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'é'.repeat(512) + 'x' }), 'InvalidParameterValue', /shorter than 1024 bytes/);
  });
  it('does not count system attributes', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { MaximumMessageSize: '1024' });
    await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'b'.repeat(1024), MessageSystemAttributes: { AWSTraceHeader: str('Root=1-abc') } });
  });
  it('allows 1 MiB by default', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'x'.repeat(1_048_576) });
    await rejects(h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'x'.repeat(1_048_577) }), 'InvalidParameterValue', /shorter than 1048576 bytes/);
  });
});

describe('ReceiveMessage basics', () => {
  it('returns the body, MD5OfBody and a receipt handle; nothing else unless asked', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const sent = await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'msg', MessageAttributes: { Foo: str('Bar') } });
    const [m, ...rest] = await receive(h, url);
    assert.equal(rest.length, 0);
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(m))).sort(), ['Body', 'MD5OfBody', 'MessageId', 'ReceiptHandle']);
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.Body, 'msg');
    assert.equal(m.MD5OfBody, '6e2baaf3b97dbeef01c0043275f9a0e7');
  });
  it('returns an empty result (no Messages key) on an empty queue', async () => {
    const h = harness();
    assert.equal((await h.a.ReceiveMessage(ctx, { QueueUrl: await makeQueue(h, 'q') })).Messages, undefined);
  });
  it('returns the body byte-identical', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const body = '\t\r\n <xml attr="1">&amp; 😀 \uE000 \uFFFD';
    await send(h, url, body);
    assert.equal((await receive(h, url))[0].Body, body);
  });

  const maxCases: [number | undefined, number][] = [
    [undefined, 1],
    [1, 1],
    [5, 5],
    [10, 10],
  ];
  for (const [max, got] of maxCases) {
    it(`MaxNumberOfMessages ${max ?? '(default)'} returns ${got} of 15, oldest first`, async () => {
      const h = harness();
      const url = await makeQueue(h, 'q');
      for (let i = 0; i < 15; i++) await send(h, url, `m${i}`);
      const ms = await receive(h, url, { MaxNumberOfMessages: max });
      assert.deepEqual(ms.map((m) => m.Body), Array.from({ length: got }, (_, i) => `m${i}`));
    });
  }
  const badParams: [string, object, string][] = [
    ['MaxNumberOfMessages 11', { MaxNumberOfMessages: 11 }, 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.'],
    ['MaxNumberOfMessages 0', { MaxNumberOfMessages: 0 }, 'Value 0 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.'],
    ['WaitTimeSeconds 21', { WaitTimeSeconds: 21 }, 'Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.'],
    ['WaitTimeSeconds -1', { WaitTimeSeconds: -1 }, 'Value -1 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.'],
    ['VisibilityTimeout 43201', { VisibilityTimeout: 43201 }, 'Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.'],
  ];
  for (const [name, input, text] of badParams) {
    it(`refuses ${name} (AWS text)`, async () => {
      const h = harness();
      await rejects(h.a.ReceiveMessage(ctx, { QueueUrl: await makeQueue(h, 'q'), ...input }), 'InvalidParameterValue', text);
    });
  }
  it('refuses a missing QueueUrl and an unknown queue', async () => {
    const h = harness();
    await rejects(h.a.ReceiveMessage(ctx, {}), 'MissingParameter', 'The request must contain the parameter QueueUrl.');
    await rejects(h.a.ReceiveMessage(ctx, { QueueUrl: 'http://localhost:9324/000000000000/none' }), 'QueueDoesNotExist');
  });
});

describe('delay', () => {
  it('a per-message DelaySeconds hides the message until it is due', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await send(h, url, 'later', { DelaySeconds: 5 });
    assert.equal((await receive(h, url)).length, 0);
    h.clock.advance(4_999);
    assert.equal((await receive(h, url)).length, 0);
    h.clock.advance(1);
    assert.deepEqual((await receive(h, url)).map((m) => m.Body), ['later']);
  });
  it('the queue DelaySeconds applies unless the message overrides it (even with 0)', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { DelaySeconds: '10' });
    await send(h, url, 'queue-delay');
    await send(h, url, 'no-delay', { DelaySeconds: 0 });
    await send(h, url, 'short', { DelaySeconds: 3 });
    assert.deepEqual((await receive(h, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body), ['no-delay']);
    h.clock.advance(3_000);
    assert.deepEqual((await receive(h, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body), ['short']);
    h.clock.advance(7_000);
    assert.deepEqual((await receive(h, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body), ['queue-delay']);
  });
});

describe('visibility timeout', () => {
  it('hides a received message for the queue VisibilityTimeout, then returns it with a new handle', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await send(h, url, 'x');
    const [first] = await receive(h, url);
    h.clock.advance(29_999);
    assert.equal((await receive(h, url)).length, 0);
    h.clock.advance(1);
    const [again] = await receive(h, url, { AttributeNames: ['ApproximateReceiveCount'] });
    assert.equal(again.MessageId, first.MessageId);
    assert.notEqual(again.ReceiptHandle, first.ReceiptHandle);
    assert.equal(again.Attributes?.ApproximateReceiveCount, '2');
  });
  it('a request VisibilityTimeout applies to that receive only', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { VisibilityTimeout: '60' });
    await send(h, url, 'x');
    await receive(h, url, { VisibilityTimeout: 5 });
    h.clock.advance(5_000);
    assert.equal((await receive(h, url)).length, 1); // this receive uses the queue's 60 s
    h.clock.advance(59_999);
    assert.equal((await receive(h, url)).length, 0);
    h.clock.advance(1);
    assert.equal((await receive(h, url)).length, 1);
  });
  it('VisibilityTimeout 0 leaves the message visible for the next receive', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await send(h, url, 'x');
    assert.equal((await receive(h, url, { VisibilityTimeout: 0, MaxNumberOfMessages: 10 })).length, 1); // never twice in one receive
    assert.equal((await receive(h, url)).length, 1);
  });
});

describe('system attributes on receive', () => {
  async function setup() {
    const h = harness();
    const url = await makeQueue(h, 'q', { VisibilityTimeout: '0' });
    await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'x', MessageSystemAttributes: { AWSTraceHeader: str('Root=1-trace') } });
    h.clock.advance(2_000);
    return { h, url };
  }
  const every = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'AWSTraceHeader'].sort();
  const cases: [string, { AttributeNames?: string[]; MessageSystemAttributeNames?: string[] }, string[] | undefined][] = [
    ['none requested', {}, undefined],
    ['AttributeNames [SenderId]', { AttributeNames: ['SenderId'] }, ['SenderId']],
    ['MessageSystemAttributeNames [SentTimestamp]', { MessageSystemAttributeNames: ['SentTimestamp'] }, ['SentTimestamp']],
    ['the union of both lists', { AttributeNames: ['SenderId'], MessageSystemAttributeNames: ['SentTimestamp'] }, ['SenderId', 'SentTimestamp']],
    ['All in one list + a name in the other (AWS-rec: All)', { AttributeNames: ['SenderId'], MessageSystemAttributeNames: ['All'] }, every],
    ['All', { AttributeNames: ['All'] }, every],
    ['a FIFO-only name on a standard message', { AttributeNames: ['SequenceNumber'] }, undefined],
  ];
  for (const [name, input, keys] of cases) {
    it(name, async () => {
      const { h, url } = await setup();
      const [m] = await receive(h, url, input);
      assert.deepEqual(m.Attributes && Object.keys(m.Attributes).sort(), keys && [...keys].sort());
    });
  }
  it('values: sender, send time, count and first-receive time in epoch ms', async () => {
    const { h, url } = await setup();
    await receive(h, url);
    h.clock.advance(3_000);
    const [m] = await receive(h, url, { AttributeNames: ['All'] });
    assert.deepEqual(m.Attributes, {
      SenderId: 'AIDTEST',
      SentTimestamp: String(T0),
      ApproximateReceiveCount: '2',
      ApproximateFirstReceiveTimestamp: String(T0 + 2_000),
      AWSTraceHeader: 'Root=1-trace',
    });
  });
  it('a MessageGroupId on a standard queue comes back as a system attribute (fair queues)', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'tenant-1' });
    const [m] = await receive(h, url, { MessageSystemAttributeNames: ['MessageGroupId'] });
    assert.deepEqual(m.Attributes, { MessageGroupId: 'tenant-1' });
  });
});

describe('message attribute filters (AWS-rec test_receive_message_message_attribute_names_filters)', () => {
  const all = { Hello: str('There'), 'Help.Me': str('Me'), General: str('Kenobi') };
  const cases: [string, string[], string[] | undefined, string | undefined][] = [
    ['no filter', [], undefined, undefined],
    ['All', ['All'], ['General', 'Hello', 'Help.Me'], '4c360f3fdafd970e05fae2f149d997f5'],
    ['*', ['*'], ['General', 'Hello', 'Help.Me'], '4c360f3fdafd970e05fae2f149d997f5'],
    ['.*', ['.*'], ['General', 'Hello', 'Help.Me'], '4c360f3fdafd970e05fae2f149d997f5'],
    ['only unknown names', ['Foo', 'Help'], undefined, undefined],
    ['existing names', ['Hello', 'General'], ['General', 'Hello'], 'fca026605781cb4126a1e9044df24232'],
    ['existing and unknown', ['Foo', 'Hello'], ['Hello'], 'a311262e065454b75da111d535b8dacd'],
    ['prefix Hel.*', ['Hel.*'], ['Hello', 'Help.Me'], '83fee93c1bcd8b9a5a923ffacdc636c7'],
    ['illegal name AWS.', ['AWS.'], undefined, undefined],
    ['illegal name ..foo', ['..foo'], undefined, undefined],
  ];
  for (const [name, filter, keys, md5] of cases) {
    it(`${name} → ${keys?.join(',') ?? 'none'}`, async () => {
      const h = harness();
      const url = await makeQueue(h, 'q');
      await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'msg', MessageAttributes: all });
      const [m] = await receive(h, url, { MessageAttributeNames: filter });
      assert.deepEqual(m.MessageAttributes && Object.keys(m.MessageAttributes).sort(), keys);
      assert.equal(m.MD5OfMessageAttributes, md5);
      for (const k of keys ?? []) assert.deepEqual(m.MessageAttributes?.[k], all[k as keyof typeof all]);
    });
  }
  it('returns a binary attribute as sent, with the AWS-recorded MD5', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const attr1 = bin('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01');
    await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'test', MessageAttributes: { attr1 } });
    const [m] = await receive(h, url, { MessageAttributeNames: ['All'] });
    assert.deepEqual(m.MessageAttributes, { attr1 });
    assert.equal(m.MD5OfMessageAttributes, '8cbe4db156db8a94db8b801b7addb984');
    assert.equal(m.MD5OfBody, '098f6bcd4621d373cade4e832627b4f6');
  });
});
