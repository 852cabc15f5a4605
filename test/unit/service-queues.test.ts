// Queue lifecycle through QueueService: CreateQueue idempotency, QueueDeletedRecently, GetQueueUrl,
// ListQueues paging and account/region separation (spec §3, §4).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ctx, harness, makeQueue, otherAccount, otherRegion, rejects, urlFor, wire } from './helpers.js';

describe('CreateQueue', () => {
  it('returns <baseUrl>/<account>/<name>', async () => {
    const h = harness();
    assert.equal(await makeQueue(h, 'orders'), 'http://localhost:9324/000000000000/orders');
  });

  const idempotent: [string, Record<string, string> | undefined, Record<string, string> | undefined][] = [
    ['no attributes twice', undefined, undefined],
    ['same attributes', { DelaySeconds: '5', VisibilityTimeout: '60' }, { DelaySeconds: '5', VisibilityTimeout: '60' }],
    ['a subset of the attributes', { DelaySeconds: '5', VisibilityTimeout: '60' }, { VisibilityTimeout: '60' }],
    ['no attributes after some', { DelaySeconds: '5' }, undefined],
    ['a default value spelled out', undefined, { VisibilityTimeout: '30', MaximumMessageSize: '1048576' }],
  ];
  for (const [name, first, second] of idempotent) {
    it(`is idempotent with ${name}`, async () => {
      const h = harness();
      const url = await makeQueue(h, 'q', first);
      assert.equal(await makeQueue(h, 'q', second), url);
    });
  }

  const conflicts: [string, Record<string, string>, Record<string, string>, string][] = [
    ['different DelaySeconds', { DelaySeconds: '1' }, { DelaySeconds: '2' }, 'DelaySeconds'],
    ['a non-default value on a default queue', {}, { DelaySeconds: '1' }, 'DelaySeconds'],
    ['one of several differs', { DelaySeconds: '1', VisibilityTimeout: '10' }, { DelaySeconds: '1', VisibilityTimeout: '11' }, 'VisibilityTimeout'],
  ];
  for (const [name, first, second, attr] of conflicts) {
    it(`refuses ${name} with QueueNameExists naming ${attr}`, async () => {
      const h = harness();
      await makeQueue(h, 'q', first);
      // AWS-rec (spec §2): no trailing period.
      await rejects(makeQueue(h, 'q', second), 'QueueNameExists', `A queue already exists with the same name and a different value for attribute ${attr}`);
    });
  }

  it('compares against current values after SetQueueAttributes', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { DelaySeconds: '1' });
    await h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { DelaySeconds: '2' } });
    assert.equal(await makeQueue(h, 'q', { DelaySeconds: '2' }), url);
    await rejects(makeQueue(h, 'q', { DelaySeconds: '1' }), 'QueueNameExists', /DelaySeconds$/);
  });

  it('refuses FifoQueue=false on a standard queue as an unknown attribute (AWS-rec)', async () => {
    await rejects(makeQueue(harness(), 'q', { FifoQueue: 'false' }), 'InvalidAttributeName', 'Unknown Attribute FifoQueue.');
  });
  it('refuses a standard queue named *.fifo', async () => {
    await rejects(makeQueue(harness(), 'q.fifo'), 'InvalidParameterValue');
  });
  it('refuses FifoQueue=true without the .fifo suffix', async () => {
    await rejects(makeQueue(harness(), 'q', { FifoQueue: 'true' }), 'InvalidParameterValue');
  });
  it('refuses an unknown attribute with "Unknown Attribute X."', async () => {
    await rejects(makeQueue(harness(), 'q', { Colour: 'blue' }), 'InvalidAttributeName', 'Unknown Attribute Colour.');
  });
  it('refuses a missing QueueName', async () => {
    await rejects(harness().a.CreateQueue(ctx, {}), 'MissingParameter', 'The request must contain the parameter QueueName.');
  });
  it('names are case-sensitive', async () => {
    const h = harness();
    const a = await makeQueue(h, 'Queue', { DelaySeconds: '1' });
    const b = await makeQueue(h, 'queue', { DelaySeconds: '2' });
    assert.notEqual(a, b);
  });
});

describe('DeleteQueue and QueueDeletedRecently', () => {
  const text = 'You must wait 60 seconds after deleting a queue before you can create another with the same name.';
  it('blocks the name for 60 s, then allows it with fresh state', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { DelaySeconds: '7' });
    await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'old' });
    await h.a.DeleteQueue(ctx, { QueueUrl: url });
    await rejects(h.a.GetQueueUrl(ctx, { QueueName: 'q' }), 'QueueDoesNotExist', 'The specified queue does not exist.');
    await rejects(makeQueue(h, 'q'), 'QueueDeletedRecently', text);
    h.clock.advance(59_999);
    await rejects(makeQueue(h, 'q'), 'QueueDeletedRecently', text);
    h.clock.advance(1);
    assert.equal(await makeQueue(h, 'q'), url);
    const attrs = (await h.a.GetQueueAttributes(ctx, { QueueUrl: url, AttributeNames: ['DelaySeconds', 'ApproximateNumberOfMessages'] })).Attributes;
    assert.deepEqual(attrs, { DelaySeconds: '0', ApproximateNumberOfMessages: '0' });
  });
  it('does not block other names', async () => {
    const h = harness();
    await h.a.DeleteQueue(ctx, { QueueUrl: await makeQueue(h, 'q') });
    await makeQueue(h, 'q2');
  });
  it('addressing a deleted queue fails with QueueDoesNotExist', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await h.a.DeleteQueue(ctx, { QueueUrl: url });
    await rejects(h.a.DeleteQueue(ctx, { QueueUrl: url }), 'QueueDoesNotExist');
    await rejects(h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'x' }), 'QueueDoesNotExist');
  });
});

describe('GetQueueUrl', () => {
  it('finds a queue by name, and by owner account', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    assert.deepEqual(await h.a.GetQueueUrl(ctx, { QueueName: 'q' }), { QueueUrl: url });
    const foreign = await makeQueue(h, 'theirs', undefined, otherAccount);
    assert.deepEqual(await h.a.GetQueueUrl(ctx, { QueueName: 'theirs', QueueOwnerAWSAccountId: '111111111111' }), { QueueUrl: foreign });
  });
  const missing: [string, Parameters<ReturnType<typeof harness>['a']['GetQueueUrl']>[1]][] = [
    ['an unknown name', { QueueName: 'nope' }],
    ['another case', { QueueName: 'Q' }],
    ['a queue of another account without owner id', { QueueName: 'theirs' }],
  ];
  for (const [name, input] of missing) {
    it(`refuses ${name}`, async () => {
      const h = harness();
      await makeQueue(h, 'q');
      await makeQueue(h, 'theirs', undefined, otherAccount);
      await rejects(h.a.GetQueueUrl(ctx, input), 'QueueDoesNotExist', 'The specified queue does not exist.');
    });
  }
  it('does not see a queue of another region', async () => {
    const h = harness();
    await makeQueue(h, 'q', undefined, otherRegion);
    await rejects(h.a.GetQueueUrl(ctx, { QueueName: 'q' }), 'QueueDoesNotExist');
  });
});

describe('queue URL resolution', () => {
  it('accepts any host, the AWS host of the request region, and a bare path', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    for (const u of ['http://elsewhere:1234/000000000000/q', 'https://sqs.us-east-1.amazonaws.com/000000000000/q', '/000000000000/q']) {
      assert.deepEqual(wire(await h.a.GetQueueAttributes(ctx, { QueueUrl: u, AttributeNames: ['QueueArn'] })), { Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q' } }, u);
    }
    assert.ok(url);
  });
  it('an AWS-style host naming another region addresses that region', async () => {
    const h = harness();
    await makeQueue(h, 'q', undefined, otherRegion);
    const out = await h.a.GetQueueAttributes(ctx, { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/000000000000/q', AttributeNames: ['QueueArn'] });
    assert.equal(out.Attributes?.QueueArn, 'arn:aws:sqs:eu-west-1:000000000000:q');
    await rejects(h.a.GetQueueAttributes(ctx, { QueueUrl: 'http://localhost:9324/000000000000/q', AttributeNames: ['QueueArn'] }), 'QueueDoesNotExist');
  });
  const bad: [string, string | undefined, 'MissingParameter' | 'QueueDoesNotExist'][] = [
    ['missing', undefined, 'MissingParameter'],
    ['empty', '', 'MissingParameter'],
    ['no account segment', 'http://localhost:9324/q', 'QueueDoesNotExist'],
    ['another account', 'http://localhost:9324/111111111111/q', 'QueueDoesNotExist'],
    ['another case', 'http://localhost:9324/000000000000/Q', 'QueueDoesNotExist'],
  ];
  for (const [name, u, code] of bad) {
    it(`refuses a ${name} QueueUrl with ${code}`, async () => {
      const h = harness();
      await makeQueue(h, 'q');
      await rejects(h.a.PurgeQueue(ctx, { QueueUrl: u }), code);
    });
  }
});

describe('ListQueues', () => {
  const names = ['alpha', 'alpha-2', 'beta', 'Alpha', 'gamma'];
  async function seeded() {
    const h = harness();
    for (const n of names) await makeQueue(h, n);
    await makeQueue(h, 'alpha-other-account', undefined, otherAccount);
    await makeQueue(h, 'alpha-other-region', undefined, otherRegion);
    return h;
  }
  const sorted = [...names].sort();

  it('lists this account and region only, by name, without NextToken', async () => {
    const out = await (await seeded()).a.ListQueues(ctx, {});
    assert.deepEqual(wire(out), { QueueUrls: sorted.map((n) => urlFor(n)) });
  });
  const prefixes: [string, string[]][] = [
    ['alpha', ['alpha', 'alpha-2']], // case-sensitive prefix
    ['A', ['Alpha']],
    ['', sorted],
  ];
  for (const [prefix, want] of prefixes) {
    it(`filters by prefix ${JSON.stringify(prefix)}`, async () => {
      const out = await (await seeded()).a.ListQueues(ctx, { QueueNamePrefix: prefix });
      assert.deepEqual(out.QueueUrls, want.map((n) => urlFor(n)));
    });
  }
  it('omits QueueUrls when nothing matches', async () => {
    assert.deepEqual(wire(await (await seeded()).a.ListQueues(ctx, { QueueNamePrefix: 'zzz' })), {});
  });

  for (const max of [1, 2, 3]) {
    it(`pages with MaxResults ${max} until NextToken disappears`, async () => {
      const h = await seeded();
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const out = await h.a.ListQueues(ctx, { MaxResults: max, NextToken: token });
        assert.ok((out.QueueUrls ?? []).length <= max);
        seen.push(...(out.QueueUrls ?? []));
        token = out.NextToken;
        pages++;
      } while (token !== undefined && pages < 20);
      assert.deepEqual(seen, sorted.map((n) => urlFor(n)));
      assert.equal(pages, Math.ceil(sorted.length / max));
    });
  }
  it('pages within a prefix', async () => {
    const h = await seeded();
    const first = await h.a.ListQueues(ctx, { QueueNamePrefix: 'alpha', MaxResults: 1 });
    assert.deepEqual(first.QueueUrls, [urlFor('alpha')]);
    assert.ok(first.NextToken);
    const second = await h.a.ListQueues(ctx, { QueueNamePrefix: 'alpha', MaxResults: 1, NextToken: first.NextToken });
    assert.deepEqual(wire(second), { QueueUrls: [urlFor('alpha-2')] });
  });
  it('without MaxResults returns at most 1000 URLs and never a NextToken (spec §3)', async () => {
    const h = harness();
    for (let i = 0; i < 1001; i++) await makeQueue(h, `q${String(i).padStart(4, '0')}`);
    const out = await h.a.ListQueues(ctx, {});
    assert.equal(out.QueueUrls?.length, 1000);
    assert.equal(out.NextToken, undefined);
    const paged = await h.a.ListQueues(ctx, { MaxResults: 1000 });
    assert.equal(paged.QueueUrls?.length, 1000);
    assert.deepEqual(wire(await h.a.ListQueues(ctx, { MaxResults: 1000, NextToken: paged.NextToken })), { QueueUrls: [urlFor('q1000')] });
  });
  it('gives no NextToken when MaxResults covers everything', async () => {
    const out = await (await seeded()).a.ListQueues(ctx, { MaxResults: 5 });
    assert.equal(out.QueueUrls?.length, 5);
    assert.equal(out.NextToken, undefined);
  });
  for (const max of [0, 1001, -1, 1.5]) {
    it(`refuses MaxResults ${max}`, async () => rejects((await seeded()).a.ListQueues(ctx, { MaxResults: max }), 'InvalidParameterValue'));
  }
  it('refuses a garbage NextToken', async () => rejects((await seeded()).a.ListQueues(ctx, { MaxResults: 1, NextToken: '!!' }), 'InvalidParameterValue'));
  it('another account sees only its own queues', async () => {
    const out = await (await seeded()).a.ListQueues(otherAccount, {});
    assert.deepEqual(out.QueueUrls, [urlFor('alpha-other-account', otherAccount)]);
  });
});
