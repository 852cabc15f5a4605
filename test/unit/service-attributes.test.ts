// Get/SetQueueAttributes through QueueService: the All set, live counts, timestamps in seconds,
// read-only names, RedrivePolicy normalisation and removal, RedriveAllowPolicy enforcement (§4, §6.8).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arnFor, attrs, counts, ctx, harness, makeQueue, otherAccount, otherRegion, rejects, send, T0, wire } from './helpers.js';

describe('GetQueueAttributes', () => {
  it('All on a fresh standard queue returns exactly the AWS-recorded set', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    assert.deepEqual(await attrs(h, url), {
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      CreatedTimestamp: String(T0 / 1000),
      DelaySeconds: '0',
      LastModifiedTimestamp: String(T0 / 1000),
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:q',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
      VisibilityTimeout: '30',
    });
  });

  it('returns only the names asked for', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { VisibilityTimeout: '45' });
    assert.deepEqual(await attrs(h, url, ['VisibilityTimeout', 'QueueArn']), { VisibilityTimeout: '45', QueueArn: arnFor('q') });
  });
  it('returns no Attributes when no names are given', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    assert.deepEqual(wire(await h.a.GetQueueAttributes(ctx, { QueueUrl: url })), {});
    assert.deepEqual(wire(await h.a.GetQueueAttributes(ctx, { QueueUrl: url, AttributeNames: [] })), {});
  });
  it('omits a settable attribute that was never set (Policy)', async () => {
    const h = harness();
    assert.deepEqual(wire(await h.a.GetQueueAttributes(ctx, { QueueUrl: await makeQueue(h, 'q'), AttributeNames: ['Policy'] })), {});
  });
  it('refuses an unknown name', async () => {
    const h = harness();
    await rejects(h.a.GetQueueAttributes(ctx, { QueueUrl: await makeQueue(h, 'q'), AttributeNames: ['VisibilityTimeout', 'Bogus'] }), 'InvalidAttributeName', 'Unknown Attribute Bogus.');
  });

  it('reports timestamps in whole seconds (truncated) and moves LastModified on Set', async () => {
    const h = harness(T0 + 999);
    const url = await makeQueue(h, 'q');
    h.clock.advance(5_000);
    await h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { DelaySeconds: '3' } });
    const a = await attrs(h, url, ['CreatedTimestamp', 'LastModifiedTimestamp']);
    assert.deepEqual(a, { CreatedTimestamp: String(T0 / 1000), LastModifiedTimestamp: String(T0 / 1000 + 5) });
  });

  it('counts visible, in-flight and delayed messages', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await send(h, url, 'visible-1');
    await send(h, url, 'visible-2');
    await send(h, url, 'delayed', { DelaySeconds: 10 });
    assert.deepEqual(await counts(h, url), { visible: 2, inflight: 0, delayed: 1 });
    await h.a.ReceiveMessage(ctx, { QueueUrl: url });
    assert.deepEqual(await counts(h, url), { visible: 1, inflight: 1, delayed: 1 });
    h.clock.advance(10_000); // the delayed one is due
    assert.deepEqual(await counts(h, url), { visible: 2, inflight: 1, delayed: 0 });
    h.clock.advance(20_000); // the received one's 30 s visibility ran out
    assert.deepEqual(await counts(h, url), { visible: 3, inflight: 0, delayed: 0 });
  });
});

describe('SetQueueAttributes', () => {
  it('changes settable attributes', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { VisibilityTimeout: '69', MaximumMessageSize: '2048', DelaySeconds: '420' } });
    assert.deepEqual(await attrs(h, url, ['VisibilityTimeout', 'MaximumMessageSize', 'DelaySeconds']), { VisibilityTimeout: '69', MaximumMessageSize: '2048', DelaySeconds: '420' });
  });
  for (const name of ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp', 'LastModifiedTimestamp', 'QueueArn']) {
    it(`refuses read-only ${name}`, async () => {
      const h = harness();
      await rejects(h.a.SetQueueAttributes(ctx, { QueueUrl: await makeQueue(h, 'q'), Attributes: { [name]: '1' } }), 'InvalidAttributeName', `Unknown Attribute ${name}.`);
    });
  }
  it('refuses an out-of-range value and changes nothing', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await rejects(h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { DelaySeconds: '5', VisibilityTimeout: '43201' } }), 'InvalidAttributeValue');
    assert.equal((await attrs(h, url, ['DelaySeconds'])).DelaySeconds, '0');
  });
  it('refuses FIFO-only attributes on a standard queue', async () => {
    const h = harness();
    await rejects(h.a.SetQueueAttributes(ctx, { QueueUrl: await makeQueue(h, 'q'), Attributes: { DeduplicationScope: 'queue' } }), 'InvalidAttributeName', 'You can specify the DeduplicationScope only when FifoQueue is set to true.');
  });
  it('refuses KMS and SQS SSE together (AWS-rec text)', async () => {
    const h = harness();
    await rejects(
      h.a.SetQueueAttributes(ctx, { QueueUrl: await makeQueue(h, 'q'), Attributes: { KmsMasterKeyId: 'testKeyId', SqsManagedSseEnabled: 'true' } }),
      'InvalidAttributeName',
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    );
  });
  it('shows KMS attributes once a key is set (AWS-rec sse_kms_attributes)', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000' } });
    assert.deepEqual(await attrs(h, url, ['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled']), {
      KmsMasterKeyId: 'testKeyId',
      KmsDataKeyReusePeriodSeconds: '6000',
      SqsManagedSseEnabled: 'false',
    });
  });
  it('refuses an empty attribute map', async () => {
    const h = harness();
    await rejects(h.a.SetQueueAttributes(ctx, { QueueUrl: await makeQueue(h, 'q'), Attributes: {} }), 'MissingParameter');
  });
});

describe('RedrivePolicy', () => {
  async function pair() {
    const h = harness();
    const dlq = await makeQueue(h, 'dlq');
    const src = await makeQueue(h, 'src');
    return { h, dlq, src };
  }
  const set = (h: ReturnType<typeof harness>, url: string, policy: string) => h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { RedrivePolicy: policy } });

  for (const count of ['"5"', '5']) {
    it(`is stored normalised with a numeric maxReceiveCount (sent as ${count})`, async () => {
      const { h, src } = await pair();
      await set(h, src, `{"maxReceiveCount": ${count}, "deadLetterTargetArn": "${arnFor('dlq')}"}`);
      const stored = (await attrs(h, src, ['RedrivePolicy'])).RedrivePolicy;
      assert.deepEqual(JSON.parse(stored), { deadLetterTargetArn: arnFor('dlq'), maxReceiveCount: 5 });
      assert.equal(stored, `{"deadLetterTargetArn":"${arnFor('dlq')}","maxReceiveCount":5}`);
    });
  }
  it('"" removes it (AWS-validated test_set_empty_redrive_policy)', async () => {
    const { h, src } = await pair();
    await set(h, src, JSON.stringify({ deadLetterTargetArn: arnFor('dlq'), maxReceiveCount: 2 }));
    await set(h, src, '');
    assert.deepEqual(await attrs(h, src, ['RedrivePolicy']), {});
  });
  it('can be given at creation', async () => {
    const h = harness();
    await makeQueue(h, 'dlq');
    const src = await makeQueue(h, 'src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnFor('dlq'), maxReceiveCount: '3' }) });
    assert.equal(JSON.parse((await attrs(h, src, ['RedrivePolicy'])).RedrivePolicy).maxReceiveCount, 3);
  });
  it('refuses a dead-letter target that does not exist', async () => {
    const { h, src } = await pair();
    await rejects(set(h, src, JSON.stringify({ deadLetterTargetArn: arnFor('missing'), maxReceiveCount: 2 })), 'InvalidParameterValue', /for parameter RedrivePolicy is invalid/);
  });
  it('refuses a malformed ARN with the AWS text (test_invalid_dead_letter_arn_rejected_before_lookup)', async () => {
    const { h, src } = await pair();
    const text = '{"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}';
    await rejects(set(h, src, text), 'InvalidParameterValue', `Value ${text} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.`);
  });
  it('refuses a dead-letter queue of another account or region (same-home rule)', async () => {
    const h = harness();
    const src = await makeQueue(h, 'src');
    await makeQueue(h, 'dlq', undefined, otherAccount);
    await makeQueue(h, 'dlq', undefined, otherRegion);
    for (const c of [otherAccount, otherRegion]) {
      await rejects(set(h, src, JSON.stringify({ deadLetterTargetArn: arnFor('dlq', c), maxReceiveCount: 2 })), 'InvalidParameterValue', /Dead letter target does not exist/);
    }
  });
  it('refuses maxReceiveCount out of range', async () => {
    const { h, src } = await pair();
    await rejects(set(h, src, JSON.stringify({ deadLetterTargetArn: arnFor('dlq'), maxReceiveCount: 0 })), 'InvalidParameterValue');
  });
});

describe('RedriveAllowPolicy is enforced when a source sets its RedrivePolicy', () => {
  const policy = (n: number) => JSON.stringify({ deadLetterTargetArn: arnFor('dlq'), maxReceiveCount: n });
  const cases: [string, string, string, boolean][] = [
    ['allowAll', '{"redrivePermission":"allowAll"}', 'src', true],
    ['denyAll', '{"redrivePermission":"denyAll"}', 'src', false],
    ['byQueue listing the source', JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arnFor('src')] }), 'src', true],
    ['byQueue not listing the source', JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arnFor('src')] }), 'intruder', false],
  ];
  for (const [name, allow, source, ok] of cases) {
    it(`${name} → ${source} ${ok ? 'may' : 'may not'} use the DLQ`, async () => {
      const h = harness();
      const dlq = await makeQueue(h, 'dlq');
      await h.a.SetQueueAttributes(ctx, { QueueUrl: dlq, Attributes: { RedriveAllowPolicy: allow } });
      const src = await makeQueue(h, source);
      const p = h.a.SetQueueAttributes(ctx, { QueueUrl: src, Attributes: { RedrivePolicy: policy(3) } });
      if (ok) await p;
      else await rejects(p, 'InvalidParameterValue', /RedrivePolicy/);
      // CreateQueue with the policy obeys the same rule.
      const created = makeQueue(h, `${source}-new`, { RedrivePolicy: policy(3) });
      if (name.startsWith('byQueue')) await rejects(created, 'InvalidParameterValue');
      else if (ok) await created;
      else await rejects(created, 'InvalidParameterValue');
    });
  }
  it('refuses a malformed RedriveAllowPolicy', async () => {
    const h = harness();
    await rejects(h.a.SetQueueAttributes(ctx, { QueueUrl: await makeQueue(h, 'dlq'), Attributes: { RedriveAllowPolicy: '{"redrivePermission":"maybe"}' } }), 'InvalidParameterValue');
  });
});
