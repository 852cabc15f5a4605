// Keys that are also names of Object.prototype members ("constructor", "toString", "__proto__")
// are ordinary user input: attribute and tag names. Found by a new user's fuzzing; each of these
// once answered 500 or silently dropped the key.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJsonInput } from '../../src/protocol/json/decode.js';
import { inputShapes } from '../../src/protocol/shapes.js';
import { ctx, harness, makeQueue, receive, rejects, str } from './helpers.js';

describe('prototype-named keys', () => {
  for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
    it(`queue attribute ${name} is an unknown attribute, not a crash`, async () => {
      const h = harness();
      await rejects(makeQueue(h, 'q', JSON.parse(`{"${name}":"1"}`)), 'InvalidAttributeName', `Unknown Attribute ${name}.`);
      const url = await makeQueue(h, 'q2');
      await rejects(h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: JSON.parse(`{"${name}":"1"}`) }), 'InvalidAttributeName');
      await rejects(h.a.GetQueueAttributes(ctx, { QueueUrl: url, AttributeNames: [name] }), 'InvalidAttributeName');
    });
  }

  it('a message attribute named __proto__ survives the JSON decoder and the round trip', async () => {
    const h = harness();
    const url = await makeQueue(h);
    const input = decodeJsonInput(
      JSON.parse(`{"QueueUrl":"${url}","MessageBody":"x","MessageAttributes":{"__proto__":{"DataType":"String","StringValue":"p"},"b":{"DataType":"String","StringValue":"q"}}}`),
      inputShapes.SendMessage,
    );
    await h.a.SendMessage(ctx, input as Parameters<typeof h.a.SendMessage>[1]);
    const [m] = await receive(h, url, { MessageAttributeNames: ['All'] });
    assert.deepEqual(Object.keys(m!.MessageAttributes!).sort(), ['__proto__', 'b']);
    assert.deepEqual(m!.MessageAttributes!['__proto__'], str('p'));
  });

  it('null list entries and null map values are serialization errors, not crashes', () => {
    assert.throws(() => decodeJsonInput({ QueueUrl: 'u', Entries: [null] }, inputShapes.SendMessageBatch), { name: 'SerializationException' });
    assert.throws(() => decodeJsonInput({ QueueUrl: 'u', MessageAttributeNames: [null] }, inputShapes.ReceiveMessage), { name: 'SerializationException' });
    assert.throws(
      () => decodeJsonInput({ QueueUrl: 'u', Entries: [{ Id: 'a', MessageBody: 'x', MessageAttributes: { a: null } }] }, inputShapes.SendMessageBatch),
      { name: 'SerializationException' },
    );
  });

  it('a long poll whose client went away ends without taking a message', async () => {
    const h = harness();
    const url = await makeQueue(h);
    const gone = new AbortController();
    const poll = h.a.ReceiveMessage({ ...ctx, signal: gone.signal }, { QueueUrl: url, WaitTimeSeconds: 20 });
    gone.abort();
    assert.deepEqual(await poll, {});
    await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'kept' });
    assert.equal((await receive(h, url))[0]?.Body, 'kept');
  });
});
