// DeleteMessage and ChangeMessageVisibility on a standard queue: the stale-handle rules AWS recorded
// (spec §6.1), the 12-hour cap, and the error texts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counts, ctx, harness, makeQueue, receive, rejects, send } from './helpers.js';

async function oneReceived(attributes?: Record<string, string>) {
  const h = harness();
  const url = await makeQueue(h, 'q', attributes);
  await send(h, url, 'x');
  const [m] = await receive(h, url);
  return { h, url, handle: m.ReceiptHandle, id: m.MessageId };
}

const del = (h: ReturnType<typeof harness>, url: string, ReceiptHandle?: string) => h.a.DeleteMessage(ctx, { QueueUrl: url, ReceiptHandle });
const cmv = (h: ReturnType<typeof harness>, url: string, ReceiptHandle: string | undefined, VisibilityTimeout?: number) =>
  h.a.ChangeMessageVisibility(ctx, { QueueUrl: url, ReceiptHandle, VisibilityTimeout });

describe('DeleteMessage', () => {
  it('deletes with the current handle', async () => {
    const { h, url, handle } = await oneReceived();
    await del(h, url, handle);
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 0 });
    h.clock.advance(60_000);
    assert.equal((await receive(h, url)).length, 0);
  });

  it('an expired but latest handle still deletes (AWS-rec)', async () => {
    const { h, url, handle } = await oneReceived();
    h.clock.advance(30_000); // visible again, not received again
    assert.equal((await counts(h, url)).visible, 1);
    await del(h, url, handle);
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 0 });
  });

  it('a handle from an older receive succeeds without deleting', async () => {
    const { h, url, handle: old } = await oneReceived();
    h.clock.advance(30_000);
    const [again] = await receive(h, url);
    await del(h, url, old);
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 1, delayed: 0 });
    await del(h, url, again.ReceiptHandle);
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 0 });
  });

  it('deleting twice (and more) succeeds (AWS-rec)', async () => {
    const { h, url, handle } = await oneReceived();
    await del(h, url, handle);
    await del(h, url, handle);
    await del(h, url, handle);
  });

  it('a handle of one message does not delete another', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await send(h, url, 'a');
    await send(h, url, 'b');
    const [a, b] = await receive(h, url, { MaxNumberOfMessages: 2 });
    await del(h, url, a.ReceiptHandle);
    assert.equal((await counts(h, url)).inflight, 1);
    await del(h, url, b.ReceiptHandle);
    assert.equal((await counts(h, url)).inflight, 0);
  });

  const garbage = ['garbage', 'not a handle!', Buffer.from('1:2').toString('base64url')];
  for (const text of garbage) {
    it(`refuses ${JSON.stringify(text)} with ReceiptHandleIsInvalid (AWS text)`, async () => {
      const { h, url } = await oneReceived();
      await rejects(del(h, url, text), 'ReceiptHandleIsInvalid', `The input receipt handle "${text}" is not a valid receipt handle.`);
    });
  }
  it('refuses a missing handle', async () => {
    const { h, url } = await oneReceived();
    await rejects(del(h, url, undefined), 'MissingParameter', 'The request must contain the parameter ReceiptHandle.');
  });
});

describe('ChangeMessageVisibility', () => {
  it('0 makes the message visible at once (AWS-rec)', async () => {
    const { h, url, handle, id } = await oneReceived();
    await cmv(h, url, handle, 0);
    const [m] = await receive(h, url);
    assert.equal(m.MessageId, id);
  });

  it('sets the timeout from the time of the call, for this receive only', async () => {
    const { h, url, handle } = await oneReceived({ VisibilityTimeout: '30' });
    h.clock.advance(20_000);
    await cmv(h, url, handle, 100);
    h.clock.advance(99_999);
    assert.equal((await receive(h, url)).length, 0);
    h.clock.advance(1);
    assert.equal((await receive(h, url)).length, 1); // back to the queue's 30 s now
    h.clock.advance(30_000);
    assert.equal((await receive(h, url)).length, 1);
  });

  it('can shorten a long timeout', async () => {
    const { h, url, handle } = await oneReceived({ VisibilityTimeout: '600' });
    await cmv(h, url, handle, 5);
    h.clock.advance(5_000);
    assert.equal((await receive(h, url)).length, 1);
  });

  it('an expired but latest handle is accepted (AWS-rec) and hides the message again', async () => {
    const { h, url, handle } = await oneReceived();
    h.clock.advance(31_000);
    await cmv(h, url, handle, 60);
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 1, delayed: 0 });
  });

  it('after delete → InvalidParameterValue with the AWS text', async () => {
    const { h, url, handle } = await oneReceived();
    await del(h, url, handle);
    await rejects(
      cmv(h, url, handle, 10),
      'InvalidParameterValue',
      `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    );
  });

  // Not recorded on AWS: Pier treats an older receive's handle like a gone message (store contract).
  it('a handle from an older receive is refused', async () => {
    const { h, url, handle: old } = await oneReceived();
    h.clock.advance(30_000);
    await receive(h, url);
    await rejects(cmv(h, url, old, 0), 'InvalidParameterValue', /Message does not exist or is not available/);
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 1, delayed: 0 });
  });

  it('caps total invisibility at 12 h from the receive', async () => {
    const { h, url, handle } = await oneReceived();
    await cmv(h, url, handle, 43_200); // exactly 12 h from the receive
    h.clock.advance(3_600_000);
    await rejects(
      cmv(h, url, handle, 43_200),
      'InvalidParameterValue',
      'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
    );
    await cmv(h, url, handle, 39_600); // 1 h + 11 h = 12 h: still allowed
  });

  for (const v of [-1, 43_201]) {
    it(`refuses VisibilityTimeout ${v}`, async () => {
      const { h, url, handle } = await oneReceived();
      await rejects(cmv(h, url, handle, v), 'InvalidParameterValue', new RegExp(`^Value ${v} for parameter VisibilityTimeout is invalid`));
    });
  }
  it('refuses a missing VisibilityTimeout', async () => {
    const { h, url, handle } = await oneReceived();
    await rejects(cmv(h, url, handle, undefined), 'MissingParameter', 'The request must contain the parameter VisibilityTimeout.');
  });
  it('refuses a garbage handle with ReceiptHandleIsInvalid', async () => {
    const { h, url } = await oneReceived();
    await rejects(cmv(h, url, 'garbage', 10), 'ReceiptHandleIsInvalid', 'The input receipt handle "garbage" is not a valid receipt handle.');
  });
});
