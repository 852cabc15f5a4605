// The three batch actions through QueueService (spec §3 "Batch semantics"): whole-request errors
// with AWS texts, and per-entry failures as data with Code and SenderFault.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SendEntry } from '../../src/core/api.js';
import { counts, ctx, harness, makeQueue, receive, rejects, send, str, wire } from './helpers.js';

const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `m${i}`, MessageBody: `body-${i}` }));
type H = ReturnType<typeof harness>;

describe('batch-wide errors (all three actions)', () => {
  const actions: [string, (h: H, url: string, e: { Id?: string }[]) => Promise<unknown>][] = [
    ['SendMessageBatch', (h, url, e) => h.a.SendMessageBatch(ctx, { QueueUrl: url, Entries: e.map((x) => ({ MessageBody: 'x', ...x })) })],
    ['DeleteMessageBatch', (h, url, e) => h.a.DeleteMessageBatch(ctx, { QueueUrl: url, Entries: e.map((x) => ({ ReceiptHandle: 'garbage', ...x })) })],
    ['ChangeMessageVisibilityBatch', (h, url, e) => h.a.ChangeMessageVisibilityBatch(ctx, { QueueUrl: url, Entries: e.map((x) => ({ ReceiptHandle: 'garbage', VisibilityTimeout: 1, ...x })) })],
  ];
  for (const [name, call] of actions) {
    it(`${name}: empty → EmptyBatchRequest naming the entry type`, async () => {
      const h = harness();
      await rejects(call(h, await makeQueue(h), []), 'EmptyBatchRequest', `There should be at least one ${name}RequestEntry in the request.`);
    });
    it(`${name}: 20 entries → TooManyEntriesInBatchRequest (AWS-rec text)`, async () => {
      const h = harness();
      await rejects(call(h, await makeQueue(h), entries(20)), 'TooManyEntriesInBatchRequest', 'Maximum number of entries per request are 10. You have sent 20.');
    });
    for (const id of ['', 'invalid:id', 'testLongId'.repeat(10)]) {
      it(`${name}: id ${JSON.stringify(id.slice(0, 12))} → InvalidBatchEntryId (AWS-rec text)`, async () => {
        const h = harness();
        await rejects(
          call(h, await makeQueue(h), [{ Id: 'ok' }, { Id: id }]),
          'InvalidBatchEntryId',
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        );
      });
    }
    it(`${name}: duplicate ids → BatchEntryIdsNotDistinct`, async () => {
      const h = harness();
      await rejects(call(h, await makeQueue(h), [{ Id: 'a' }, { Id: 'a' }]), 'BatchEntryIdsNotDistinct');
    });
  }
});

describe('SendMessageBatch', () => {
  it('sends up to 10 entries in order, with per-entry MD5s', async () => {
    const h = harness();
    const url = await makeQueue(h);
    const out = await h.a.SendMessageBatch(ctx, {
      QueueUrl: url,
      Entries: [{ Id: '1', MessageBody: 'msg', MessageAttributes: { Foo: str('Bar') } }, { Id: '2', MessageBody: 'a' }, ...entries(8)],
    });
    assert.equal(out.Failed, undefined);
    assert.deepEqual(out.Successful.map((s) => s.Id), ['1', '2', ...entries(8).map((e) => e.Id)]);
    assert.equal(out.Successful[0].MD5OfMessageBody, '6e2baaf3b97dbeef01c0043275f9a0e7');
    assert.equal(out.Successful[0].MD5OfMessageAttributes, 'ae7155c6026991b6d54b11589678bf9c');
    assert.equal(out.Successful[1].MD5OfMessageBody, '0cc175b9c0f1b6a831c399e269772661');
    assert.equal(out.Successful[1].MD5OfMessageAttributes, undefined);
    const got = await receive(h, url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(got.map((m) => m.Body), ['msg', 'a', ...entries(8).map((e) => e.MessageBody)]);
    assert.deepEqual(got.map((m) => m.MessageId), out.Successful.map((s) => s.MessageId));
  });

  it('reports bad entries in Failed and sends the rest (AWS-rec test_batch_send_with_invalid_char_should_succeed)', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { MaximumMessageSize: '1024' });
    const batch: SendEntry[] = [
      ...entries(7),
      { Id: 'bad-char', MessageBody: '\x01' },
      { Id: 'too-big', MessageBody: 'x'.repeat(1025) },
      { Id: 'empty', MessageBody: '' },
    ];
    const out = await h.a.SendMessageBatch(ctx, { QueueUrl: url, Entries: batch });
    assert.equal(out.Successful.length, 7);
    const failed = Object.fromEntries((out.Failed ?? []).map((f) => [f.Id, f]));
    assert.deepEqual(Object.keys(failed).sort(), ['bad-char', 'empty', 'too-big']);
    assert.equal(failed['bad-char'].Code, 'InvalidMessageContents');
    assert.deepEqual(failed['too-big'], {
      Id: 'too-big',
      SenderFault: true,
      Code: 'InvalidParameterValue',
      Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.',
    });
    assert.equal(failed.empty.Code, 'MissingParameter');
    for (const f of Object.values(failed)) assert.equal(f.SenderFault, true);
    assert.equal((await counts(h, url)).visible, 7);
  });

  it('per-entry delay and attributes', async () => {
    const h = harness();
    const url = await makeQueue(h);
    await h.a.SendMessageBatch(ctx, { QueueUrl: url, Entries: [{ Id: 'now', MessageBody: 'now' }, { Id: 'later', MessageBody: 'later', DelaySeconds: 30 }] });
    assert.deepEqual(await counts(h, url), { visible: 1, inflight: 0, delayed: 1 });
  });

  it('BatchRequestTooLong when the entries together exceed 1 MiB (AWS text)', async () => {
    const h = harness();
    const url = await makeQueue(h);
    const half = 'x'.repeat(524_288);
    await rejects(
      h.a.SendMessageBatch(ctx, { QueueUrl: url, Entries: [{ Id: 'a', MessageBody: half }, { Id: 'b', MessageBody: `${half}y` }] }),
      'BatchRequestTooLong',
      'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
    );
    assert.equal((await counts(h, url)).visible, 0);
    // Exactly 1 MiB in total is allowed.
    const ok = await h.a.SendMessageBatch(ctx, { QueueUrl: url, Entries: [{ Id: 'a', MessageBody: half }, { Id: 'b', MessageBody: half }] });
    assert.equal(ok.Successful.length, 2);
  });

  it('attribute bytes count toward BatchRequestTooLong', async () => {
    const h = harness();
    const body = 'x'.repeat(1_048_576 - 10);
    // name "n" (1) + "String" (6) + value (4) = 11 bytes of attributes: one byte too many.
    await rejects(
      h.a.SendMessageBatch(ctx, { QueueUrl: await makeQueue(h), Entries: [{ Id: 'a', MessageBody: body, MessageAttributes: { n: str('vvvv') } }] }),
      'BatchRequestTooLong',
      /You have sent 1048577 bytes\./,
    );
  });
});

describe('DeleteMessageBatch', () => {
  it('deletes good handles and fails bad ones per entry', async () => {
    const h = harness();
    const url = await makeQueue(h);
    for (const e of entries(3)) await send(h, url, e.MessageBody);
    const [a, b, c] = await receive(h, url, { MaxNumberOfMessages: 3 });
    await h.a.DeleteMessage(ctx, { QueueUrl: url, ReceiptHandle: c.ReceiptHandle });
    const out = await h.a.DeleteMessageBatch(ctx, {
      QueueUrl: url,
      Entries: [
        { Id: 'a', ReceiptHandle: a.ReceiptHandle },
        { Id: 'junk', ReceiptHandle: 'garbage' },
        { Id: 'b', ReceiptHandle: b.ReceiptHandle },
        { Id: 'already-deleted', ReceiptHandle: c.ReceiptHandle },
      ],
    });
    assert.deepEqual(out.Successful.map((s) => s.Id).sort(), ['a', 'already-deleted', 'b']);
    assert.deepEqual(wire(out.Failed), [
      { Id: 'junk', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "garbage" is not a valid receipt handle.' },
    ]);
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 0 });
  });
  it('has no Failed member when everything succeeds', async () => {
    const h = harness();
    const url = await makeQueue(h);
    await send(h, url, 'x');
    const [m] = await receive(h, url);
    assert.deepEqual(wire(await h.a.DeleteMessageBatch(ctx, { QueueUrl: url, Entries: [{ Id: 'x', ReceiptHandle: m.ReceiptHandle }] })), { Successful: [{ Id: 'x' }] });
  });
});

describe('ChangeMessageVisibilityBatch', () => {
  it('changes good entries and fails the others per entry', async () => {
    const h = harness();
    const url = await makeQueue(h);
    for (const e of entries(3)) await send(h, url, e.MessageBody);
    const [a, b, gone] = await receive(h, url, { MaxNumberOfMessages: 3 });
    await h.a.DeleteMessage(ctx, { QueueUrl: url, ReceiptHandle: gone.ReceiptHandle });
    const out = await h.a.ChangeMessageVisibilityBatch(ctx, {
      QueueUrl: url,
      Entries: [
        { Id: 'a', ReceiptHandle: a.ReceiptHandle, VisibilityTimeout: 0 },
        { Id: 'junk', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
        { Id: 'gone', ReceiptHandle: gone.ReceiptHandle, VisibilityTimeout: 0 },
        { Id: 'too-long', ReceiptHandle: b.ReceiptHandle, VisibilityTimeout: 43_201 },
      ],
    });
    assert.deepEqual(out.Successful, [{ Id: 'a' }]);
    const failed = Object.fromEntries((out.Failed ?? []).map((f) => [f.Id, f]));
    assert.deepEqual(Object.keys(failed).sort(), ['gone', 'junk', 'too-long']);
    assert.equal(failed.junk.Code, 'ReceiptHandleIsInvalid');
    assert.equal(failed.gone.Code, 'InvalidParameterValue');
    assert.match(failed.gone.Message, /Message does not exist or is not available for visibility timeout change\./);
    assert.equal(failed['too-long'].Code, 'InvalidParameterValue');
    for (const f of Object.values(failed)) assert.equal(f.SenderFault, true);
    // Only "a" became visible again.
    assert.deepEqual((await receive(h, url, { MaxNumberOfMessages: 10 })).map((m) => m.MessageId), [a.MessageId]);
  });
  it('per-entry 12-hour cap', async () => {
    const h = harness();
    const url = await makeQueue(h);
    await send(h, url, 'x');
    const [m] = await receive(h, url);
    h.clock.advance(60_000);
    const out = await h.a.ChangeMessageVisibilityBatch(ctx, { QueueUrl: url, Entries: [{ Id: 'x', ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 43_200 }] });
    assert.deepEqual(out.Successful, []);
    assert.match(out.Failed?.[0].Message ?? '', /Total VisibilityTimeout for the message is beyond the limit \[43200 seconds\]/);
  });
});
