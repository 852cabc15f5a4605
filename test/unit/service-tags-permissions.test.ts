// Tags, Add/RemovePermission and the not-yet-supported move-task actions through QueueService
// (spec §3; Policy shape from localstack test_sqs.snapshot.json test_sqs_permission_lifecycle [AWS-rec]).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorName } from '../../src/core/error-catalog.js';
import { arnFor, attrs, ctx, harness, makeQueue, rejects, wire } from './helpers.js';

describe('tags', () => {
  it('ListQueueTags has no Tags member when there are none', async () => {
    const h = harness();
    assert.deepEqual(wire(await h.a.ListQueueTags(ctx, { QueueUrl: await makeQueue(h) })), {});
  });
  it('CreateQueue tags are listed', async () => {
    const h = harness();
    const { QueueUrl } = await h.a.CreateQueue(ctx, { QueueName: 'q', tags: { team: 'core', env: 'dev' } });
    assert.deepEqual((await h.a.ListQueueTags(ctx, { QueueUrl })).Tags, { team: 'core', env: 'dev' });
  });
  it('TagQueue adds, overwrites the same key, and accepts an empty value (AWS-rec)', async () => {
    const h = harness();
    const url = await makeQueue(h);
    await h.a.TagQueue(ctx, { QueueUrl: url, Tags: { a: '1', b: '2' } });
    await h.a.TagQueue(ctx, { QueueUrl: url, Tags: { b: 'two', c: '' } });
    assert.deepEqual((await h.a.ListQueueTags(ctx, { QueueUrl: url })).Tags, { a: '1', b: 'two', c: '' });
  });
  it('UntagQueue removes the keys named, ignores unknown keys, and the last removal empties the list', async () => {
    const h = harness();
    const url = await makeQueue(h);
    await h.a.TagQueue(ctx, { QueueUrl: url, Tags: { a: '1', b: '2' } });
    await h.a.UntagQueue(ctx, { QueueUrl: url, TagKeys: ['a', 'missing'] });
    assert.deepEqual((await h.a.ListQueueTags(ctx, { QueueUrl: url })).Tags, { b: '2' });
    await h.a.UntagQueue(ctx, { QueueUrl: url, TagKeys: ['b'] });
    assert.deepEqual(wire(await h.a.ListQueueTags(ctx, { QueueUrl: url })), {});
  });
  it('tags are not attributes and do not affect CreateQueue idempotency', async () => {
    const h = harness();
    const url = await makeQueue(h);
    await h.a.TagQueue(ctx, { QueueUrl: url, Tags: { a: '1' } });
    assert.equal((await h.a.CreateQueue(ctx, { QueueName: 'q1', tags: { other: 'x' } })).QueueUrl, url);
    assert.equal('a' in (await attrs(h, url)), false);
  });
  const bad: [string, Record<string, string>][] = [
    ['an empty key', { '': 'v' }],
    ['a 129-char key', { ['k'.repeat(129)]: 'v' }],
    ['a 257-char value', { k: 'v'.repeat(257) }],
    ['the reserved aws: prefix', { 'aws:thing': 'v' }],
  ];
  for (const [name, tags] of bad) {
    it(`refuses ${name}`, async () => {
      const h = harness();
      await rejects(h.a.TagQueue(ctx, { QueueUrl: await makeQueue(h), Tags: tags }), 'InvalidParameterValue');
    });
  }
  it('refuses more than 50 tags in total', async () => {
    const h = harness();
    const url = await makeQueue(h);
    await h.a.TagQueue(ctx, { QueueUrl: url, Tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) });
    await rejects(h.a.TagQueue(ctx, { QueueUrl: url, Tags: { one: 'more' } }), 'InvalidParameterValue');
    await h.a.TagQueue(ctx, { QueueUrl: url, Tags: { k0: 'overwrite is fine' } });
  });
});

describe('AddPermission / RemovePermission', () => {
  const policyOf = async (h: ReturnType<typeof harness>, url: string) => {
    const text = (await attrs(h, url, ['Policy'])).Policy;
    return text === undefined ? undefined : JSON.parse(text);
  };

  it('builds the AWS policy shape: one principal and one action as strings', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await h.a.AddPermission(ctx, { QueueUrl: url, Label: 'crossaccountpermission', AWSAccountIds: ['111111111111'], Actions: ['ReceiveMessage'] });
    assert.deepEqual(await policyOf(h, url), {
      Version: '2008-10-17',
      Id: `${arnFor('q')}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: 'crossaccountpermission',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'SQS:ReceiveMessage',
          Resource: arnFor('q'),
        },
      ],
    });
  });

  it('lists several principals and actions as arrays', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await h.a.AddPermission(ctx, { QueueUrl: url, Label: 'multi', AWSAccountIds: ['111111111111', '668614515564'], Actions: ['SendMessage', 'DeleteMessage'] });
    const [s] = (await policyOf(h, url)).Statement;
    assert.deepEqual(s.Principal, { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::668614515564:root'] });
    assert.deepEqual(s.Action, ['SQS:SendMessage', 'SQS:DeleteMessage']);
  });

  it('a duplicate label is refused (AWS-rec text); removal of an unknown label too; the last removal drops Policy', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const add = (Label: string) => h.a.AddPermission(ctx, { QueueUrl: url, Label, AWSAccountIds: ['111111111111'], Actions: ['ReceiveMessage'] });
    await add('crossaccountpermission');
    await rejects(add('crossaccountpermission'), 'InvalidParameterValue', 'Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.');
    await add('crossaccountpermission2');
    assert.deepEqual((await policyOf(h, url)).Statement.map((s: { Sid: string }) => s.Sid), ['crossaccountpermission', 'crossaccountpermission2']);

    await h.a.RemovePermission(ctx, { QueueUrl: url, Label: 'crossaccountpermission' });
    assert.deepEqual((await policyOf(h, url)).Statement.map((s: { Sid: string }) => s.Sid), ['crossaccountpermission2']);
    await h.a.RemovePermission(ctx, { QueueUrl: url, Label: 'crossaccountpermission2' });
    assert.equal(await policyOf(h, url), undefined);
    await rejects(
      h.a.RemovePermission(ctx, { QueueUrl: url, Label: 'crossaccountpermission2' }),
      'InvalidParameterValue',
      "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.",
    );
  });

  const bad: [string, object, ErrorName][] = [
    ['no accounts', { Label: 'l', AWSAccountIds: [], Actions: ['SendMessage'] }, 'MissingParameter'],
    ['no actions', { Label: 'l', AWSAccountIds: ['111111111111'], Actions: [] }, 'MissingParameter'],
    ['no label', { AWSAccountIds: ['111111111111'], Actions: ['SendMessage'] }, 'MissingParameter'],
    ['a bad label', { Label: 'bad label', AWSAccountIds: ['111111111111'], Actions: ['SendMessage'] }, 'InvalidParameterValue'],
    ['an unknown action', { Label: 'l', AWSAccountIds: ['111111111111'], Actions: ['Teleport'] }, 'InvalidParameterValue'],
    ['a bad account id', { Label: 'l', AWSAccountIds: ['123'], Actions: ['SendMessage'] }, 'InvalidParameterValue'],
    ['8 actions', { Label: 'l', AWSAccountIds: ['111111111111'], Actions: Array(8).fill('SendMessage') }, 'OverLimit'],
  ];
  for (const [name, input, code] of bad) {
    it(`refuses ${name} with ${code}`, async () => {
      const h = harness();
      const url = await makeQueue(h, 'q');
      await rejects(h.a.AddPermission(ctx, { QueueUrl: url, ...input }), code);
      assert.equal(await policyOf(h, url), undefined);
    });
  }
  it('keeps statements added to a Policy set by SetQueueAttributes', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const own = { Version: '2012-10-17', Id: 'mine', Statement: [{ Sid: 'own', Effect: 'Allow', Principal: '*', Action: 'SQS:SendMessage', Resource: arnFor('q') }] };
    await h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { Policy: JSON.stringify(own) } });
    await h.a.AddPermission(ctx, { QueueUrl: url, Label: 'added', AWSAccountIds: ['111111111111'], Actions: ['*'] });
    const p = await policyOf(h, url);
    assert.deepEqual(p.Statement.map((s: { Sid: string }) => s.Sid), ['own', 'added']);
    assert.equal(p.Statement[1].Action, 'SQS:*');
  });
});
