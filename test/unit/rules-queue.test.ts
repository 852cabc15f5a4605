// Queue names, URL/ARN parsing and queue attribute rules (spec §1.5, §4, §2 texts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultAttributes, isKnownAttribute, mergeAttributes, validateAttributes } from '../../src/core/rules/queue-attributes.js';
import { parseQueueArn, parseQueueUrl, queueArn, queueUrl, regionFromQueueUrl, validateQueueName } from '../../src/core/rules/queue-name.js';
import { throws } from './helpers.js';

describe('queue names', () => {
  const ok: [string, boolean][] = [
    ['a', false],
    ['My_Queue-1', false],
    ['x'.repeat(80), false],
    ['q.fifo', true],
    [`${'x'.repeat(75)}.fifo`, true], // the suffix counts toward 80
  ];
  const bad: [string, boolean][] = [
    ['', false],
    ['x'.repeat(81), false],
    ['a.b', false],
    ['with space', false],
    ['slash/name', false],
    ['ünicode', false],
    ['q.fifo', false], // standard queue named *.fifo
    ['q', true], // FifoQueue=true without the suffix
    ['.fifo', true],
    [`${'x'.repeat(76)}.fifo`, true],
    ['a.b.fifo', true],
  ];
  for (const [name, fifo] of ok) it(`accepts ${JSON.stringify(name.slice(0, 24))} fifo=${fifo}`, () => validateQueueName(name, fifo));
  for (const [name, fifo] of bad) {
    it(`refuses ${JSON.stringify(name.slice(0, 24))} fifo=${fifo}`, () => throws(() => validateQueueName(name, fifo), 'InvalidParameterValue'));
  }
  it('uses the AWS text for a bad standard name', () =>
    throws(() => validateQueueName('bad name', false), 'InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length'));
});

describe('queue URLs', () => {
  const parsed: [string, { accountId: string; name: string } | undefined][] = [
    ['http://localhost:9324/000000000000/q1', { accountId: '000000000000', name: 'q1' }],
    ['https://sqs.us-east-1.amazonaws.com/123456789012/orders', { accountId: '123456789012', name: 'orders' }],
    ['https://eu-west-1.queue.amazonaws.com/123456789012/legacy', { accountId: '123456789012', name: 'legacy' }],
    ['http://host/queue/us-east-1/000000000000/q.fifo', { accountId: '000000000000', name: 'q.fifo' }],
    ['http://localhost:9324/000000000000/q1?Action=SendMessage', { accountId: '000000000000', name: 'q1' }],
    ['http://localhost:9324/000000000000/q1/', { accountId: '000000000000', name: 'q1' }],
    ['/000000000000/q1', { accountId: '000000000000', name: 'q1' }],
    ['000000000000/q1', { accountId: '000000000000', name: 'q1' }],
    ['http://localhost:9324/q1', undefined],
    ['http://localhost:9324/', undefined],
    ['http://localhost:9324/abc/q1', undefined],
    ['http://localhost:9324/12345/q1', undefined],
    ['q1', undefined],
    ['', undefined],
  ];
  for (const [url, want] of parsed) it(`parses ${JSON.stringify(url)}`, () => assert.deepEqual(parseQueueUrl(url), want));

  it('mints <base>/<account>/<name>', () =>
    assert.equal(queueUrl('http://localhost:9324', { accountId: '000000000000', region: 'us-east-1', name: 'q1' }), 'http://localhost:9324/000000000000/q1'));

  it('round-trips a minted URL', () => {
    const key = { accountId: '123456789012', region: 'us-east-1', name: 'Case_Sensitive-1' };
    assert.deepEqual(parseQueueUrl(queueUrl('https://example.test:8443', key)), { accountId: key.accountId, name: key.name });
  });

  const regions: [string, string | undefined][] = [
    ['https://sqs.eu-central-1.amazonaws.com/123456789012/q', 'eu-central-1'],
    ['https://ap-south-1.queue.amazonaws.com/123456789012/q', 'ap-south-1'],
    ['https://queue.amazonaws.com/123456789012/q', undefined],
    ['http://localhost:9324/000000000000/q', undefined],
  ];
  for (const [url, region] of regions) it(`region of ${url}`, () => assert.equal(regionFromQueueUrl(url), region));
});

describe('queue ARNs', () => {
  it('formats arn:aws:sqs:<region>:<account>:<name>', () =>
    assert.equal(queueArn({ accountId: '000000000000', region: 'us-east-1', name: 'q1' }), 'arn:aws:sqs:us-east-1:000000000000:q1'));
  const parsed: [string, object | undefined][] = [
    ['arn:aws:sqs:us-east-1:000000000000:q1', { region: 'us-east-1', accountId: '000000000000', name: 'q1' }],
    ['arn:aws:sqs:eu-west-1:123456789012:dlq.fifo', { region: 'eu-west-1', accountId: '123456789012', name: 'dlq.fifo' }],
    ['arn:aws-cn:sqs:cn-north-1:123456789012:q', { region: 'cn-north-1', accountId: '123456789012', name: 'q' }],
    ['arn:aws:sns:us-east-1:000000000000:topic', undefined],
    ['arn:aws:sqs:us-east-1:000:q1', undefined],
    ['arn:aws:sqs:us-east-1:000000000000:', undefined],
    ['dummy', undefined],
  ];
  for (const [arn, want] of parsed) it(`parses ${arn}`, () => assert.deepEqual(parseQueueArn(arn), want));
});

describe('queue attribute defaults', () => {
  it('a standard queue starts with the AWS-recorded settable defaults', () =>
    assert.deepEqual(defaultAttributes(false), {
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      VisibilityTimeout: '30',
      SqsManagedSseEnabled: 'true',
    }));
  it('a FIFO queue adds the four FIFO attributes', () =>
    assert.deepEqual(defaultAttributes(true), {
      ...defaultAttributes(false),
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    }));
});

describe('queue attribute ranges', () => {
  const ranges: [string, number, number][] = [
    ['DelaySeconds', 0, 900],
    ['MaximumMessageSize', 1024, 1_048_576],
    ['MessageRetentionPeriod', 60, 1_209_600],
    ['ReceiveMessageWaitTimeSeconds', 0, 20],
    ['VisibilityTimeout', 0, 43_200],
    ['KmsDataKeyReusePeriodSeconds', 60, 86_400],
  ];
  for (const [name, min, max] of ranges) {
    it(`${name} accepts ${min} and ${max}`, () => {
      assert.deepEqual(validateAttributes({ [name]: String(min) }, false, true), { [name]: String(min) });
      assert.deepEqual(validateAttributes({ [name]: String(max) }, false, true), { [name]: String(max) });
    });
    for (const v of [String(min - 1), String(max + 1), '1.5', 'abc', '']) {
      it(`${name} refuses ${JSON.stringify(v)}`, () =>
        throws(() => validateAttributes({ [name]: v }, false, true), 'InvalidAttributeValue', `Invalid value for the parameter ${name}.`));
    }
  }
  it('normalises booleans to lower case', () => assert.deepEqual(validateAttributes({ SqsManagedSseEnabled: 'TRUE' }, false, true), { SqsManagedSseEnabled: 'true' }));
  it('refuses a non-boolean SqsManagedSseEnabled', () => throws(() => validateAttributes({ SqsManagedSseEnabled: 'yes' }, false, true), 'InvalidAttributeValue'));
  it('refuses a Policy that is not a JSON object', () => throws(() => validateAttributes({ Policy: '[1]' }, false, false), 'InvalidAttributeValue'));
});

describe('queue attribute names', () => {
  for (const name of ['Foo', 'visibilitytimeout', 'QueueUrl', 'All']) {
    it(`refuses unknown ${name} with "Unknown Attribute ${name}."`, () =>
      throws(() => validateAttributes({ [name]: '1' }, false, true), 'InvalidAttributeName', `Unknown Attribute ${name}.`));
  }
  for (const name of ['DeduplicationScope', 'FifoThroughputLimit']) {
    it(`refuses FIFO-only ${name} on a standard queue (AWS text)`, () =>
      throws(
        () => validateAttributes({ [name]: name === 'DeduplicationScope' ? 'queue' : 'perQueue' }, false, true),
        'InvalidAttributeName',
        `You can specify the ${name} only when FifoQueue is set to true.`,
      ));
  }
  for (const name of ['ContentBasedDeduplication', 'FifoQueue']) {
    it(`refuses ${name} on a standard queue as unknown`, () =>
      throws(() => validateAttributes({ [name]: 'true' }, false, true), 'InvalidAttributeName', `Unknown Attribute ${name}.`));
  }
  it('refuses changing FifoQueue after creation', () =>
    throws(
      () => validateAttributes({ FifoQueue: 'true' }, true, false),
      'InvalidAttributeValue',
      'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
    ));
  it('accepts FIFO attributes on a FIFO queue', () =>
    assert.deepEqual(validateAttributes({ DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' }, true, false), {
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    }));
  it('knows read-only names and All for GetQueueAttributes', () => {
    for (const n of ['All', 'QueueArn', 'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp', 'VisibilityTimeout']) assert.equal(isKnownAttribute(n), true, n);
    for (const n of ['Foo', 'queuearn', '']) assert.equal(isKnownAttribute(n), false, n);
  });
});

describe('mergeAttributes (SSE exclusivity, removals)', () => {
  const base = defaultAttributes(false);
  it('refuses KMS and SQS-managed SSE together (AWS text)', () =>
    throws(
      () => mergeAttributes(base, { KmsMasterKeyId: 'alias/k', SqsManagedSseEnabled: 'true' }),
      'InvalidAttributeName',
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    ));
  it('choosing a KMS key turns SQS-managed SSE off and defaults the reuse period', () => {
    const next = mergeAttributes(base, { KmsMasterKeyId: 'alias/k' });
    assert.equal(next.SqsManagedSseEnabled, 'false');
    assert.equal(next.KmsMasterKeyId, 'alias/k');
    assert.equal(next.KmsDataKeyReusePeriodSeconds, '300');
  });
  it('turning SQS-managed SSE back on drops the KMS settings', () => {
    const kms = mergeAttributes(base, { KmsMasterKeyId: 'alias/k', KmsDataKeyReusePeriodSeconds: '600' });
    const next = mergeAttributes(kms, { SqsManagedSseEnabled: 'true' });
    assert.equal(next.SqsManagedSseEnabled, 'true');
    assert.equal('KmsMasterKeyId' in next, false);
    assert.equal('KmsDataKeyReusePeriodSeconds' in next, false);
  });
  for (const name of ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy']) {
    it(`"" removes ${name}`, () => {
      const set = mergeAttributes(base, { [name]: '{"a":1}' });
      assert.equal(set[name], '{"a":1}');
      assert.equal(name in mergeAttributes(set, { [name]: '' }), false);
    });
  }
  it('keeps attributes it was not asked to change', () => assert.equal(mergeAttributes(base, { DelaySeconds: '5' }).VisibilityTimeout, '30'));
});
