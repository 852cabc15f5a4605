// Golden fixtures for bad input on both protocols (fixtures/bad-input): malformed and mistyped
// JSON, invalid UTF-8, unknown or missing actions, missing and out-of-range parameters, over-limit
// bodies. Afterwards the server must still serve and the setup queue must hold its two messages.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { goldenSuite, send } from './golden.js';

goldenSuite('bad-input', (run) => {
  it('still serves a fresh connection and the kept messages are byte-identical', async () => {
    const health = await send(run.server().port, { method: 'GET', path: '/health' }, run.captured);
    assert.equal(health.status, 200);
    assert.equal(health.body.toString(), 'ok\n');
    // The golden after-* fixtures pin this too; this states the invariant without normalisation.
    const { service } = run.server();
    const ctx = { accountId: '000000000000', region: 'us-east-1', baseUrl: 'http://localhost:9324', senderId: 'test' };
    const got = await service.actions.ReceiveMessage(ctx, { QueueUrl: 'http://localhost:9324/000000000000/golden-keep', MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    const byId = new Map((got.Messages ?? []).map((m) => [m.MessageId, m.Body]));
    assert.deepEqual(byId, new Map([[run.captured.get('k1'), 'keep one'], [run.captured.get('k2'), 'keep two']]));
  });
});
