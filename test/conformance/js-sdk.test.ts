// Conformance through the real AWS SDK for JavaScript v3 (@aws-sdk/client-env.sqs, AWS JSON 1.0 with
// awsQueryCompatible): the whole standard-queue lifecycle, errors as the SDK surfaces them (class,
// name, query Code, HTTP status) and the body MD5s the SDK verifies itself. No mocks: a real
// server on an ephemeral port, a real client. No timing assertions.
import {
  AddPermissionCommand, ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand,
  CreateQueueCommand, DeleteMessageBatchCommand, DeleteMessageCommand, DeleteQueueCommand,
  GetQueueAttributesCommand, GetQueueUrlCommand, ListDeadLetterSourceQueuesCommand, ListQueuesCommand,
  ListQueueTagsCommand, PurgeQueueCommand, QueueDoesNotExist, QueueNameExists, ReceiveMessageCommand,
  RemovePermissionCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand,
  SQSClient, SQSServiceException, TagQueueCommand, UntagQueueCommand, type Message, type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { md5Hex, md5OfAttributes } from './attribute-md5.js';
import { credentials, region, useSqsServer } from './server.js';

const env = useSqsServer();

const create = async (name: string, Attributes?: Record<string, string>, tags?: Record<string, string>) =>
  (await env.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes, tags }))).QueueUrl!;

const attrs = async (QueueUrl: string, names: string[] = ['All']) =>
  (await env.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: names as never }))).Attributes ?? {};

const receiveAll = (QueueUrl: string, extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}) =>
  env.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }));

/** Runs `fn`, expects it to reject with an SQS service error, and returns that error. */
async function sqsError(fn: () => Promise<unknown>): Promise<SQSServiceException & { Code?: string; Type?: string }> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof SQSServiceException, `expected an SQSServiceException, got ${String(e)}`);
    return e as SQSServiceException & { Code?: string; Type?: string };
  }
  assert.fail('expected the call to fail');
}

// Modeled errors take the name of their `__type` shape (QueueDoesNotExist); un-modeled ones
// (`InvalidParameterValueException`, `MissingRequiredParameterException`) are named by the SDK
// after the query code from `x-amzn-query-error`, as they are against AWS itself.
function assertError(e: SQSServiceException & { Code?: string; Type?: string }, name: string, code: string, status: number, message?: RegExp) {
  assert.equal(e.name, name);
  assert.equal(e.Code, code, 'query-compatible Code from x-amzn-query-error');
  assert.equal(e.Type, 'Sender');
  assert.equal(e.$metadata.httpStatusCode, status);
  assert.equal(e.$fault, 'client');
  assert.ok(e.$metadata.requestId, 'x-amzn-RequestId is surfaced');
  if (message) assert.match(e.message, message);
}

describe('@aws-sdk/client-env.sqs (JSON protocol)', () => {
  it('creates a queue with attributes and tags, idempotently, and rejects a conflicting re-create', async () => {
    const url = await create('js-create', { DelaySeconds: '3', VisibilityTimeout: '45', MessageRetentionPeriod: '600' }, { team: 'core', env: 'test' });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/000000000000\/js-create$/);
    assert.equal(await create('js-create'), url, 'no attributes: returns the existing URL');
    assert.equal(await create('js-create', { DelaySeconds: '3' }), url, 'a matching subset: returns the existing URL');

    const a = await attrs(url);
    assert.equal(a.DelaySeconds, '3');
    assert.equal(a.VisibilityTimeout, '45');
    assert.equal(a.MessageRetentionPeriod, '600');
    assert.equal(a.QueueArn, 'arn:aws:sqs:us-east-1:000000000000:js-create');
    assert.equal(a.ApproximateNumberOfMessages, '0');
    assert.match(a.CreatedTimestamp ?? '', /^\d{10}$/, 'epoch seconds');
    for (const k of ['ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'LastModifiedTimestamp', 'MaximumMessageSize', 'ReceiveMessageWaitTimeSeconds']) {
      assert.ok(k in a, `GetQueueAttributes(All) includes ${k}`);
    }
    assert.deepEqual((await env.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { team: 'core', env: 'test' });

    const conflict = await sqsError(() => create('js-create', { DelaySeconds: '4' }));
    assert.ok(conflict instanceof QueueNameExists, 'the modeled exception class');
    assertError(conflict, 'QueueNameExists', 'QueueAlreadyExists', 400, /DelaySeconds/);
  });

  it('rejects bad queue names and attributes with the right codes', async () => {
    assertError(await sqsError(() => create('bad name!')), 'InvalidParameterValue', 'InvalidParameterValue', 400);
    assertError(await sqsError(() => create('js-standard.fifo')), 'InvalidParameterValue', 'InvalidParameterValue', 400);
    assertError(await sqsError(() => create('js-unknown-attr', { NoSuchAttribute: '1' })), 'InvalidAttributeName', 'InvalidAttributeName', 400, /NoSuchAttribute/);
    assertError(await sqsError(() => create('js-bad-value', { DelaySeconds: '901' })), 'InvalidAttributeValue', 'InvalidAttributeValue', 400);
  });

  it('finds queues by URL and by listing, with paging', async () => {
    const urls = [];
    for (const n of ['c', 'a', 'e', 'b', 'd']) urls.push(await create(`js-list-${n}`));
    assert.equal((await env.sqs.send(new GetQueueUrlCommand({ QueueName: 'js-list-a' }))).QueueUrl, urls[1]);

    const all = (await env.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'js-list-' }))).QueueUrls ?? [];
    assert.deepEqual([...all].sort(), [...urls].sort());

    const paged: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await env.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'js-list-', MaxResults: 2, NextToken }));
      assert.ok((page.QueueUrls ?? []).length <= 2);
      paged.push(...(page.QueueUrls ?? []));
      NextToken = page.NextToken;
      pages += 1;
      assert.ok(pages <= 5, 'paging terminates');
    } while (NextToken);
    assert.equal(pages, 3);
    assert.deepEqual([...paged].sort(), [...urls].sort(), 'every queue exactly once across pages');

    const none = await env.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'js-nothing-here' }));
    assert.equal(none.QueueUrls, undefined, 'no QueueUrls key when nothing matches');
    assert.equal(none.NextToken, undefined);
  });

  it('reports unknown queues as QueueDoesNotExist', async () => {
    const e = await sqsError(() => env.sqs.send(new GetQueueUrlCommand({ QueueName: 'js-missing' })));
    assert.ok(e instanceof QueueDoesNotExist);
    assertError(e, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 400, /does not exist/);
    const missingUrl = `${env.server.endpoint}/000000000000/js-missing`;
    const onSend = await sqsError(() => env.sqs.send(new SendMessageCommand({ QueueUrl: missingUrl, MessageBody: 'x' })));
    assert.ok(onSend instanceof QueueDoesNotExist);
    assert.equal(onSend.$metadata.httpStatusCode, 400);
    assert.ok((await sqsError(() => attrs(missingUrl))) instanceof QueueDoesNotExist);
  });

  it('sets and gets queue attributes, refusing unknown and read-only names', async () => {
    const url = await create('js-attrs');
    await env.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '17', ReceiveMessageWaitTimeSeconds: '2', MaximumMessageSize: '2048' } }));
    assert.deepEqual(await attrs(url, ['VisibilityTimeout', 'ReceiveMessageWaitTimeSeconds', 'MaximumMessageSize']), {
      VisibilityTimeout: '17', ReceiveMessageWaitTimeSeconds: '2', MaximumMessageSize: '2048',
    });
    assert.equal(await create('js-attrs', { VisibilityTimeout: '17' }), url, 'idempotency compares against current values');
    assertError(await sqsError(() => attrs(url, ['NotAnAttribute'])), 'InvalidAttributeName', 'InvalidAttributeName', 400);
    assertError(
      await sqsError(() => env.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { ApproximateNumberOfMessages: '3' } }))),
      'InvalidAttributeName', 'InvalidAttributeName', 400,
    );
    assertError(
      await sqsError(() => env.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '43201' } }))),
      'InvalidAttributeValue', 'InvalidAttributeValue', 400,
    );
    // A message over the lowered MaximumMessageSize is refused.
    const big = await sqsError(() => env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(2049) })));
    assertError(big, 'InvalidParameterValue', 'InvalidParameterValue', 400, /shorter than 2048 bytes/);
  });

  it('sends typed message attributes and a trace header, and receives them byte-identical with matching MD5s', async () => {
    const url = await create('js-attributes');
    const body = 'héllo wörld 🚀 <xml> & "quotes"\r\n';
    const binary = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const MessageAttributes: Record<string, MessageAttributeValue> = {
      str: { DataType: 'String', StringValue: 'plain ✓' },
      num: { DataType: 'Number', StringValue: '-12.5e3' },
      bin: { DataType: 'Binary', BinaryValue: binary },
      'custom.type': { DataType: 'Number.float', StringValue: '4563442423554324324264524243.32543234' },
      label: { DataType: 'String.Array', StringValue: '["a","b"]' },
    };
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const sent = await env.sqs.send(new SendMessageCommand({
      QueueUrl: url, MessageBody: body, MessageAttributes,
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } },
    }));
    assert.match(sent.MessageId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(sent.MD5OfMessageBody, md5Hex(body));
    assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes(MessageAttributes as never));
    assert.equal(sent.MD5OfMessageSystemAttributes, md5OfAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: trace } }));
    assert.equal(sent.SequenceNumber, undefined, 'standard queue: no sequence number');

    const got = await receiveAll(url, { MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] });
    assert.equal(got.Messages?.length, 1);
    const m = got.Messages![0];
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.Body, body);
    assert.equal(m.MD5OfBody, md5Hex(body));
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.deepEqual(Object.keys(m.MessageAttributes ?? {}).sort(), Object.keys(MessageAttributes).sort());
    assert.deepEqual(Buffer.from(m.MessageAttributes!.bin.BinaryValue!), Buffer.from(binary));
    assert.equal(m.MessageAttributes!.bin.DataType, 'Binary');
    for (const k of ['str', 'num', 'custom.type', 'label']) {
      assert.equal(m.MessageAttributes![k].StringValue, MessageAttributes[k].StringValue);
      assert.equal(m.MessageAttributes![k].DataType, MessageAttributes[k].DataType);
    }
    assert.equal(m.Attributes?.AWSTraceHeader, trace);
    assert.equal(m.Attributes?.ApproximateReceiveCount, '1');
    assert.match(m.Attributes?.SentTimestamp ?? '', /^\d{13}$/);
    assert.match(m.Attributes?.ApproximateFirstReceiveTimestamp ?? '', /^\d{13}$/);
    assert.ok(m.Attributes?.SenderId, 'SenderId is present');
    assert.ok(m.ReceiptHandle);
  });

  it('returns only the requested attribute subset, with the MD5 over that subset', async () => {
    const url = await create('js-attr-filter');
    await env.sqs.send(new SendMessageCommand({
      QueueUrl: url, MessageBody: 'filtered',
      MessageAttributes: {
        'app.id': { DataType: 'String', StringValue: '1' },
        'app.name': { DataType: 'String', StringValue: 'two' },
        other: { DataType: 'Number', StringValue: '3' },
      },
    }));
    const [m] = (await receiveAll(url, { MessageAttributeNames: ['app.*'], VisibilityTimeout: 0 })).Messages ?? [];
    assert.deepEqual(Object.keys(m.MessageAttributes ?? {}).sort(), ['app.id', 'app.name']);
    assert.equal(m.MD5OfMessageAttributes, md5OfAttributes(m.MessageAttributes as never));
    const [bare] = (await receiveAll(url)).Messages ?? [];
    assert.equal(bare.MessageAttributes, undefined, 'none requested: none returned');
    assert.equal(bare.MD5OfMessageAttributes, undefined);
    assert.equal(bare.Attributes, undefined, 'no system attributes requested: no Attributes key');
  });

  it('sends a batch where one entry fails and the others succeed', async () => {
    const url = await create('js-batch');
    const out = await env.sqs.send(new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: 'ok-1', MessageBody: 'first', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
        { Id: 'bad', MessageBody: 'nul \u0000 is not allowed' },
        { Id: 'ok_2', MessageBody: 'second', DelaySeconds: 0 },
      ],
    }));
    assert.deepEqual(out.Successful?.map((s) => s.Id).sort(), ['ok-1', 'ok_2']);
    const ok1 = out.Successful!.find((s) => s.Id === 'ok-1')!;
    assert.equal(ok1.MD5OfMessageBody, md5Hex('first'));
    assert.equal(ok1.MD5OfMessageAttributes, md5OfAttributes({ k: { DataType: 'String', StringValue: 'v' } }));
    assert.equal(out.Failed?.length, 1);
    assert.equal(out.Failed![0].Id, 'bad');
    assert.equal(out.Failed![0].Code, 'InvalidMessageContents');
    assert.equal(out.Failed![0].SenderFault, true);
    const bodies = ((await receiveAll(url)).Messages ?? []).map((m) => m.Body).sort();
    assert.deepEqual(bodies, ['first', 'second']);
  });

  it('fails whole batch requests that are empty, too long, or have bad or repeated ids', async () => {
    const url = await create('js-batch-errors');
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${i}` }));
    assertError(await sqsError(() => env.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(11) }))),
      'TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400);
    assertError(await sqsError(() => env.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] }))),
      'EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 400);
    assertError(await sqsError(() => env.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: '1' }, { Id: 'a', MessageBody: '2' }] }))),
      'BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400);
    assertError(await sqsError(() => env.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'no spaces', MessageBody: '1' }] }))),
      'InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId', 400);
    assertError(await sqsError(() => env.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [] }))),
      'EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 400);
    assert.equal((await attrs(url, ['ApproximateNumberOfMessages'])).ApproximateNumberOfMessages, '0', 'nothing was enqueued');
  });

  it('long-polls: an empty wait returns no Messages key, and a send during the wait wakes it with the message', async () => {
    const url = await create('js-long-poll');
    const empty = await receiveAll(url, { WaitTimeSeconds: 1 });
    assert.equal(empty.Messages, undefined);

    const polling = receiveAll(url, { WaitTimeSeconds: 2 });
    await new Promise((r) => setTimeout(r, 100));
    await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    const woke = await polling;
    assert.deepEqual(woke.Messages?.map((m) => m.Body), ['wake up']);
  });

  it('hands a message sent during two concurrent long polls to exactly one of them', async () => {
    const url = await create('js-two-pollers');
    const pollers = [receiveAll(url, { WaitTimeSeconds: 1 }), receiveAll(url, { WaitTimeSeconds: 1 })];
    await new Promise((r) => setTimeout(r, 100));
    const sent = await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'only one' }));
    const results = await Promise.all(pollers);
    const got = results.flatMap((r) => r.Messages ?? []);
    assert.deepEqual(got.map((m) => m.MessageId), [sent.MessageId]);
  });

  it('keeps accounts apart: a 12-digit access key id names its own account', async () => {
    const other = new SQSClient({ endpoint: env.server.endpoint, region, credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      const url = (await other.send(new CreateQueueCommand({ QueueName: 'js-other-account' }))).QueueUrl!;
      assert.match(url, /\/111122223333\/js-other-account$/);
      assert.equal((await other.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn,
        'arn:aws:sqs:us-east-1:111122223333:js-other-account');
      assert.deepEqual((await env.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'js-other-account' }))).QueueUrls ?? [], []);
      assert.ok((await sqsError(() => env.sqs.send(new GetQueueUrlCommand({ QueueName: 'js-other-account' })))) instanceof QueueDoesNotExist);
    } finally {
      other.destroy();
    }
  });

  it('hides a received message, and ChangeMessageVisibility(0) makes it receivable again with a new handle', async () => {
    const url = await create('js-visibility', { VisibilityTimeout: '30' });
    await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'once' }));
    const first = (await receiveAll(url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'] })).Messages![0];
    assert.equal(first.Attributes?.ApproximateReceiveCount, '1');
    assert.equal((await receiveAll(url)).Messages, undefined, 'in flight: not receivable');
    const counts = await attrs(url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
    assert.deepEqual(counts, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });

    await env.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 }));
    const second = (await receiveAll(url, { MessageSystemAttributeNames: ['All'] })).Messages![0];
    assert.equal(second.MessageId, first.MessageId);
    assert.notEqual(second.ReceiptHandle, first.ReceiptHandle, 'every receive issues a new handle');
    assert.equal(second.Attributes?.ApproximateReceiveCount, '2');

    const tooLong = await sqsError(() => env.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: 43201 })));
    assertError(tooLong, 'InvalidParameterValue', 'InvalidParameterValue', 400);
    const garbage = await sqsError(() => env.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: 'garbage', VisibilityTimeout: 5 })));
    assertError(garbage, 'ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404, /garbage/);

    await env.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle }));
    await env.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle }));  // idempotent
    const afterDelete = await sqsError(() => env.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: 5 })));
    assertError(afterDelete, 'InvalidParameterValue', 'InvalidParameterValue', 400, /does not exist or is not available/);
  });

  it('changes visibility and deletes in batches, reporting bad handles per entry', async () => {
    const url = await create('js-batches', { VisibilityTimeout: '30' });
    await env.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: ['a', 'b', 'c'].map((b) => ({ Id: b, MessageBody: b })) }));
    const got: Message[] = [];
    for (let i = 0; i < 5 && got.length < 3; i++) got.push(...((await receiveAll(url)).Messages ?? []));
    assert.equal(got.length, 3);

    const vis = await env.sqs.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: 'v0', ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 0 },
        { Id: 'v1', ReceiptHandle: got[1].ReceiptHandle, VisibilityTimeout: 60 },
        { Id: 'vbad', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
      ],
    }));
    assert.deepEqual(vis.Successful?.map((s) => s.Id).sort(), ['v0', 'v1']);
    assert.deepEqual(vis.Failed?.map((f) => [f.Id, f.Code, f.SenderFault]), [['vbad', 'ReceiptHandleIsInvalid', true]]);
    const again = (await receiveAll(url)).Messages ?? [];
    assert.deepEqual(again.map((m) => m.MessageId), [got[0].MessageId], 'only the message made visible comes back');

    const del = await env.sqs.send(new DeleteMessageBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: 'd0', ReceiptHandle: again[0].ReceiptHandle },
        { Id: 'd1', ReceiptHandle: got[1].ReceiptHandle },
        { Id: 'd2', ReceiptHandle: got[2].ReceiptHandle },
        { Id: 'dbad', ReceiptHandle: 'garbage' },
      ],
    }));
    assert.deepEqual(del.Successful?.map((s) => s.Id).sort(), ['d0', 'd1', 'd2']);
    assert.deepEqual(del.Failed?.map((f) => [f.Id, f.Code, f.SenderFault]), [['dbad', 'ReceiptHandleIsInvalid', true]]);
    assert.deepEqual(await attrs(url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']), {
      ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0',
    });
    const bad = await sqsError(() => env.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })));
    assertError(bad, 'ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404);
  });

  it('purges a queue once per minute', async () => {
    const url = await create('js-purge', { VisibilityTimeout: '30' });
    await env.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: ['1', '2', '3'].map((b) => ({ Id: `m${b}`, MessageBody: b })) }));
    await receiveAll(url, { MaxNumberOfMessages: 1 }); // one in flight: purged too
    await env.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    assert.equal((await receiveAll(url)).Messages, undefined);
    assert.deepEqual(await attrs(url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']), {
      ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0',
    });
    const again = await sqsError(() => env.sqs.send(new PurgeQueueCommand({ QueueUrl: url })));
    assertError(again, 'PurgeQueueInProgress', 'AWS.SimpleQueueService.PurgeQueueInProgress', 403, /js-purge/);
  });

  it('tags and untags a queue', async () => {
    const url = await create('js-tags', undefined, { a: '1' });
    await env.sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { b: '2', a: 'overwritten', empty: '' } }));
    assert.deepEqual((await env.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { a: 'overwritten', b: '2', empty: '' });
    await env.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['a', 'empty', 'never-there'] }));
    assert.deepEqual((await env.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { b: '2' });
    await env.sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['b'] }));
    assert.equal((await env.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, undefined, 'no Tags key when none');
  });

  it('adds and removes permissions as statements of the Policy attribute', async () => {
    const url = await create('js-perms');
    await env.sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: 'send-from-b', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }));
    await env.sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: 'read-from-c', AWSAccountIds: ['444455556666', '777788889999'], Actions: ['ReceiveMessage', 'DeleteMessage'] }));
    const policy = JSON.parse((await attrs(url, ['Policy'])).Policy ?? '{}');
    assert.equal(policy.Version, '2008-10-17');
    assert.deepEqual(policy.Statement.map((s: { Sid: string }) => s.Sid), ['send-from-b', 'read-from-c']);
    const [send] = policy.Statement;
    assert.equal(send.Effect, 'Allow');
    assert.equal(send.Action, 'SQS:SendMessage');
    assert.equal(send.Resource, 'arn:aws:sqs:us-east-1:000000000000:js-perms');
    assert.deepEqual([send.Principal.AWS].flat(), ['arn:aws:iam::111122223333:root']);

    const dup = await sqsError(() => env.sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: 'send-from-b', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })));
    assertError(dup, 'InvalidParameterValue', 'InvalidParameterValue', 400, /Already exists/);

    await env.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'send-from-b' }));
    assert.deepEqual(JSON.parse((await attrs(url, ['Policy'])).Policy ?? '{}').Statement.map((s: { Sid: string }) => s.Sid), ['read-from-c']);
    await env.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'read-from-c' }));
    assert.equal((await attrs(url)).Policy, undefined, 'the last removal drops the Policy');
    const unknown = await sqsError(() => env.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'read-from-c' })));
    assertError(unknown, 'InvalidParameterValue', 'InvalidParameterValue', 400, /can't find label/);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives, keeping what it carried', async () => {
    const dlq = await create('js-dlq');
    const dlqArn = (await attrs(dlq, ['QueueArn'])).QueueArn!;
    const source = await create('js-dlq-source', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) });
    const other = await create('js-not-a-source');
    const sourceAttrs = await attrs(source, ['RedrivePolicy', 'QueueArn']);
    assert.deepEqual(JSON.parse(sourceAttrs.RedrivePolicy!), { deadLetterTargetArn: dlqArn, maxReceiveCount: 2 });

    const listed = await env.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    assert.deepEqual(listed.queueUrls, [source]);
    assert.deepEqual((await env.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: other }))).queueUrls ?? [], []);

    const sent = await env.sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'poison', MessageAttributes: { why: { DataType: 'String', StringValue: 'bad input' } } }));
    for (const n of ['1', '2']) {
      const [m] = (await receiveAll(source, { VisibilityTimeout: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'] })).Messages ?? [];
      assert.equal(m?.MessageId, sent.MessageId, `receive ${n} returns the message`);
      assert.equal(m.Attributes?.ApproximateReceiveCount, n);
    }
    assert.equal((await receiveAll(source)).Messages, undefined, 'the third receive moves it instead of returning it');

    const [dead] = (await receiveAll(dlq, { WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] })).Messages ?? [];
    assert.equal(dead?.MessageId, sent.MessageId);
    assert.equal(dead.Body, 'poison');
    assert.equal(dead.MessageAttributes?.why.StringValue, 'bad input');
    assert.equal(dead.Attributes?.DeadLetterQueueSourceArn, sourceAttrs.QueueArn);
    assert.equal(dead.Attributes?.ApproximateReceiveCount, '3', 'the receive count carries over');
    assert.equal((await attrs(source, ['ApproximateNumberOfMessages'])).ApproximateNumberOfMessages, '0');
  });

  it('removes a RedrivePolicy set to the empty string, and the DLQ no longer lists the source', async () => {
    const dlq = await create('js-dlq-2');
    const dlqArn = (await attrs(dlq, ['QueueArn'])).QueueArn!;
    const source = await create('js-dlq-2-source', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '5' }) });
    assert.equal(JSON.parse((await attrs(source, ['RedrivePolicy'])).RedrivePolicy!).maxReceiveCount, 5, 'returned as a JSON number');
    assert.deepEqual((await env.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls, [source]);
    await env.sqs.send(new SetQueueAttributesCommand({ QueueUrl: source, Attributes: { RedrivePolicy: '' } }));
    assert.equal((await attrs(source)).RedrivePolicy, undefined);
    assert.deepEqual((await env.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls ?? [], []);
  });

  it('delays a message: counted as delayed, then delivered to a long poll', async () => {
    const url = await create('js-delay');
    await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 1 }));
    assert.deepEqual(await attrs(url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed']), {
      ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '1',
    });
    const got = await receiveAll(url, { WaitTimeSeconds: 5 });
    assert.deepEqual(got.Messages?.map((m) => m.Body), ['later']);
    assert.equal((await attrs(url, [])).ApproximateNumberOfMessages, undefined, 'no names asked: no attributes returned');
  });

  it('refuses invalid receive and send parameters', async () => {
    const url = await create('js-invalid');
    assertError(await sqsError(() => receiveAll(url, { MaxNumberOfMessages: 11 })), 'InvalidParameterValue', 'InvalidParameterValue', 400, /MaxNumberOfMessages/);
    assertError(await sqsError(() => receiveAll(url, { WaitTimeSeconds: 21 })), 'InvalidParameterValue', 'InvalidParameterValue', 400, /WaitTimeSeconds/);
    assertError(await sqsError(() => env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '' }))), 'MissingParameter', 'MissingParameter', 400, /MessageBody/);
    assertError(await sqsError(() => env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 }))), 'InvalidParameterValue', 'InvalidParameterValue', 400);
    assertError(await sqsError(() => env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad \u0008 char' }))), 'InvalidMessageContents', 'InvalidMessageContents', 400);
    assertError(
      await sqsError(() => env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { 'AWS.reserved': { DataType: 'String', StringValue: 'v' } } }))),
      'InvalidParameterValue', 'InvalidParameterValue', 400,
    );
    assertError(
      await sqsError(() => env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { empty: { DataType: 'String', StringValue: '' } } }))),
      'InvalidParameterValue', 'InvalidParameterValue', 400, /non-empty/,
    );
    assert.equal((await attrs(url, ['ApproximateNumberOfMessages'])).ApproximateNumberOfMessages, '0');
  });

  it('accepts a body of exactly 1 MiB (the default MaximumMessageSize) and refuses one byte more', async () => {
    const url = await create('js-max-size');
    assert.equal((await attrs(url, ['MaximumMessageSize'])).MaximumMessageSize, '1048576');
    const body = 'é'.repeat(512 * 1024 - 1) + 'ab'; // 1,048,576 UTF-8 bytes, fewer characters
    assert.equal(Buffer.byteLength(body), 1_048_576);
    const sent = await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body })); // the SDK checks the MD5
    const [m] = (await receiveAll(url)).Messages ?? [];
    assert.equal(m?.MessageId, sent.MessageId);
    assert.equal(m.Body, body);
    const tooBig = await sqsError(() => env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `${body}x` })));
    assertError(tooBig, 'InvalidParameterValue', 'InvalidParameterValue', 400, /shorter than 1048576 bytes/);
    // Attributes count toward the limit.
    const withAttr = await sqsError(() => env.sqs.send(new SendMessageCommand({
      QueueUrl: url, MessageBody: body, MessageAttributes: { a: { DataType: 'String', StringValue: 'b' } },
    })));
    assertError(withAttr, 'InvalidParameterValue', 'InvalidParameterValue', 400);
  });

  it('routes by the QueueUrl when the client has no endpoint configured (useQueueUrlAsEndpoint)', async () => {
    const url = await create('js-no-endpoint');
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} };
    const bare = new SQSClient({ region, credentials, maxAttempts: 1, logger });
    try {
      const sent = await bare.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'found you' }));
      const [m] = (await bare.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages ?? [];
      assert.equal(m?.MessageId, sent.MessageId);
      await bare.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      assert.ok(warnings.some((w) => w.includes('using QueueUrl host as endpoint')), 'the SDK took the QueueUrl route');
    } finally {
      bare.destroy();
    }
    assert.equal((await attrs(url, ['ApproximateNumberOfMessages'])).ApproximateNumberOfMessages, '0');
  });

  it('deletes a queue: it is gone, and its name is blocked for a minute', async () => {
    const url = await create('js-doomed');
    await env.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'left behind' }));
    await env.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    assert.ok((await sqsError(() => env.sqs.send(new GetQueueUrlCommand({ QueueName: 'js-doomed' })))) instanceof QueueDoesNotExist);
    assert.ok(!((await env.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'js-doomed' }))).QueueUrls ?? []).includes(url));
    assertError(await sqsError(() => create('js-doomed')), 'QueueDeletedRecently', 'AWS.SimpleQueueService.QueueDeletedRecently', 400, /60 seconds/);
  });
});
