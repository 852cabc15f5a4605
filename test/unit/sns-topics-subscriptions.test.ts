// Topic and subscription actions on the memory engine. AWS behaviour cited per case; [AWS-rec]
// marks texts recorded against AWS in LocalStack's tests/aws/services/sns/test_sns.snapshot.json.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ctx, otherRegion } from './helpers.js';
import { queueArn, snsHarness, snsRejects, topicArn, topicWithQueue } from './sns-helpers.js';

describe('SNS topics', () => {
  it('CreateTopic is idempotent on equal attributes, refuses different ones and tags [AWS-rec test_create_duplicate_topic_*]', async () => {
    const h = await snsHarness();
    const a = await h.n.CreateTopic(ctx, { Name: 'orders', Attributes: { DisplayName: 'Orders' }, Tags: [{ Key: 'k1', Value: 'v1' }] });
    assert.equal(a.TopicArn, topicArn('orders'));
    assert.deepEqual(await h.n.CreateTopic(ctx, { Name: 'orders' }), a);
    assert.deepEqual(await h.n.CreateTopic(ctx, { Name: 'orders', Attributes: { DisplayName: 'Orders' } }), a);
    await snsRejects(h.n.CreateTopic(ctx, { Name: 'orders', Attributes: { DisplayName: 'Other' } }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: Topic already exists with different attributes');
    await snsRejects(
      h.n.CreateTopic(ctx, { Name: 'orders', Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] }),
      'InvalidParameter',
      'Invalid parameter: Tags Reason: Topic already exists with different tags',
    );
  });

  it('checks names [AWS-rec test_create_topic_name_constraints] and FIFO suffixes', async () => {
    const h = await snsHarness();
    for (const name of ['', 'a:b', 'a b', 'x'.repeat(257), 'plain.fifo']) {
      await snsRejects(h.n.CreateTopic(ctx, { Name: name }), 'InvalidParameter', 'Invalid parameter: Topic Name');
    }
    await h.n.CreateTopic(ctx, { Name: 'x'.repeat(256) });
    await snsRejects(h.n.CreateTopic(ctx, { Name: 'nofifo', Attributes: { FifoTopic: 'true' } }), 'InvalidParameter', /Fifo Topic names must end with \.fifo/);
    const fifo = await h.n.CreateTopic(ctx, { Name: 'orders.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } });
    const attrs = (await h.n.GetTopicAttributes(ctx, { TopicArn: fifo.TopicArn })).Attributes;
    assert.equal(attrs.FifoTopic, 'true');
    assert.equal(attrs.ContentBasedDeduplication, 'true');
  });

  it('GetTopicAttributes shows the AWS defaults [AWS-rec test_create_topic_test_arn] and counts subscriptions', async () => {
    const h = await snsHarness();
    const { TopicArn, SubscriptionArn } = await topicWithQueue(h);
    const a = (await h.n.GetTopicAttributes(ctx, { TopicArn })).Attributes;
    assert.deepEqual(Object.keys(a), ['DisplayName', 'EffectiveDeliveryPolicy', 'Owner', 'Policy', 'SubscriptionsConfirmed', 'SubscriptionsDeleted', 'SubscriptionsPending', 'TopicArn']);
    assert.deepEqual(JSON.parse(a.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy, {
      minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear',
    });
    assert.equal(JSON.parse(a.Policy!).Statement[0].Condition.StringEquals['AWS:SourceOwner'], ctx.accountId);
    assert.equal(a.SubscriptionsConfirmed, '1');
    await h.n.Unsubscribe(ctx, { SubscriptionArn });
    const after = (await h.n.GetTopicAttributes(ctx, { TopicArn })).Attributes;
    assert.equal(after.SubscriptionsConfirmed, '0');
    assert.equal(after.SubscriptionsDeleted, '1');
  });

  it('SetTopicAttributes: unknown names and FifoTopic are "Invalid parameter: AttributeName" [AWS-rec test_topic_get_attributes_with_fifo_false]', async () => {
    const h = await snsHarness();
    const { TopicArn } = await h.n.CreateTopic(ctx, { Name: 't' });
    await snsRejects(h.n.SetTopicAttributes(ctx, { TopicArn, AttributeName: 'FifoTopic', AttributeValue: 'false' }), 'InvalidParameter', 'Invalid parameter: AttributeName');
    await h.n.SetTopicAttributes(ctx, { TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Shown' });
    assert.equal((await h.n.GetTopicAttributes(ctx, { TopicArn })).Attributes.DisplayName, 'Shown');
  });

  it('errors on missing and malformed topics [AWS-rec test_publish_wrong_arn_format, test_cross_region_access]', async () => {
    const h = await snsHarness();
    await snsRejects(h.n.GetTopicAttributes(ctx, { TopicArn: topicArn('nope') }), 'NotFound', 'Topic does not exist');
    await snsRejects(h.n.GetTopicAttributes(ctx, { TopicArn: 'garbage' }), 'InvalidParameter', 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1');
    await snsRejects(h.n.Publish(ctx, { TopicArn: 'arn:aws', Message: 'm' }), 'InvalidParameter', 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 2');
    const { TopicArn } = await h.n.CreateTopic(ctx, { Name: 't' });
    await snsRejects(h.n.GetTopicAttributes(otherRegion, { TopicArn }), 'InvalidParameter', 'Invalid parameter: TopicArn');
  });

  it('DeleteTopic is idempotent and removes subscriptions [AWS-rec test_delete_topic_idempotency]', async () => {
    const h = await snsHarness();
    const { TopicArn, SubscriptionArn } = await topicWithQueue(h);
    await h.n.DeleteTopic(ctx, { TopicArn });
    await h.n.DeleteTopic(ctx, { TopicArn });
    await snsRejects(h.n.GetSubscriptionAttributes(ctx, { SubscriptionArn }), 'NotFound', 'Subscription does not exist');
    assert.deepEqual((await h.n.ListTopics(ctx, {})).Topics, []);
  });

  it('ListTopics pages by 100', async () => {
    const h = await snsHarness();
    for (let i = 0; i < 105; i++) await h.n.CreateTopic(ctx, { Name: `t${String(i).padStart(3, '0')}` });
    const first = await h.n.ListTopics(ctx, {});
    assert.equal(first.Topics.length, 100);
    assert.ok(first.NextToken);
    const second = await h.n.ListTopics(ctx, { NextToken: first.NextToken });
    assert.deepEqual(second.Topics.map((t) => t.TopicArn), [100, 101, 102, 103, 104].map((i) => topicArn(`t${i}`)));
    assert.equal(second.NextToken, undefined);
  });

  it('tags: list sorted, untag, unknown resource [AWS-rec test_tags]', async () => {
    const h = await snsHarness();
    const { TopicArn } = await h.n.CreateTopic(ctx, { Name: 't' });
    await h.n.TagResource(ctx, { ResourceArn: TopicArn, Tags: [{ Key: 'k2', Value: 'v2' }, { Key: 'k1', Value: 'v1' }] });
    assert.deepEqual((await h.n.ListTagsForResource(ctx, { ResourceArn: TopicArn })).Tags, [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }]);
    await h.n.UntagResource(ctx, { ResourceArn: TopicArn, TagKeys: ['k1'] });
    assert.deepEqual((await h.n.ListTagsForResource(ctx, { ResourceArn: TopicArn })).Tags, [{ Key: 'k2', Value: 'v2' }]);
    await snsRejects(h.n.TagResource(ctx, { ResourceArn: TopicArn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] }), 'InvalidParameter', 'Invalid parameter: Duplicated keys are not allowed.');
    await snsRejects(h.n.ListTagsForResource(ctx, { ResourceArn: topicArn('gone') }), 'ResourceNotFound');
  });
});

describe('SNS subscriptions', () => {
  it('an SQS subscription is confirmed at once and shows AWS attributes [AWS-rec test_create_subscriptions_with_attributes]', async () => {
    const h = await snsHarness();
    const { TopicArn, SubscriptionArn } = await topicWithQueue(h, 't1', 'q1', { RawMessageDelivery: 'true' });
    assert.match(SubscriptionArn, new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    const a = (await h.n.GetSubscriptionAttributes(ctx, { SubscriptionArn })).Attributes;
    assert.equal(a.PendingConfirmation, 'false');
    assert.equal(a.ConfirmationWasAuthenticated, 'true');
    assert.equal(a.RawMessageDelivery, 'true');
    assert.equal(a.Endpoint, queueArn('q1'));
    assert.equal(a.FilterPolicy, undefined);
  });

  it('validates protocol and endpoint [AWS-rec test_subscribe_with_invalid_protocol, test_subscribe_sqs_queue_url, test_validations_for_fifo]', async () => {
    const h = await snsHarness();
    const { TopicArn } = await h.n.CreateTopic(ctx, { Name: 't' });
    await snsRejects(h.n.Subscribe(ctx, { TopicArn, Protocol: 'test-protocol', Endpoint: 'x' }), 'InvalidParameter', 'Invalid parameter: Amazon SNS does not support this protocol string: test-protocol');
    await snsRejects(h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: 'http://localhost/000000000000/q' }), 'InvalidParameter', 'Invalid parameter: SQS endpoint ARN');
    await snsRejects(
      h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: queueArn('q.fifo') }),
      'InvalidParameter',
      'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
    );
    await snsRejects(h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: queueArn('q'), Attributes: { RawMessageDelivery: 'wrongvalue' } }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.');
    // A queue that does not exist is still accepted (AWS-rec test_subscribe_unknown_sqs_queue).
    await h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: queueArn('not-yet') });
    await snsRejects(h.n.Subscribe(ctx, { TopicArn: topicArn('nope'), Protocol: 'sqs', Endpoint: queueArn('q') }), 'NotFound', 'Topic does not exist');
  });

  it('Subscribe is idempotent; different attributes are refused [AWS-rec test_subscribe_idempotency]', async () => {
    const h = await snsHarness();
    const { TopicArn, SubscriptionArn } = await topicWithQueue(h, 't1', 'q1', { RawMessageDelivery: 'true' });
    const again = (Attributes?: Record<string, string>) => h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: queueArn('q1'), Attributes });
    assert.equal((await again({ RawMessageDelivery: 'true' })).SubscriptionArn, SubscriptionArn);
    assert.equal((await again()).SubscriptionArn, SubscriptionArn);
    assert.equal((await again({})).SubscriptionArn, SubscriptionArn);
    await snsRejects(again({ RawMessageDelivery: 'false' }), 'InvalidParameter', 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
  });

  it('Set/GetSubscriptionAttributes: names, values, FilterPolicy and its scope [AWS-rec test_validate_set_sub_attributes, test_set_subscription_filter_policy_scope]', async () => {
    const h = await snsHarness();
    const { SubscriptionArn } = await topicWithQueue(h);
    const set = (AttributeName: string, AttributeValue: string) => h.n.SetSubscriptionAttributes(ctx, { SubscriptionArn, AttributeName, AttributeValue });
    await snsRejects(set('FakeAttribute', 'x'), 'InvalidParameter', 'Invalid parameter: AttributeName');
    await snsRejects(set('RawMessageDelivery', 'test-ValUe'), 'InvalidParameter', 'Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.');
    await snsRejects(set('RawMessageDelivery', ''), 'InvalidParameter', 'Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false.');
    await snsRejects(set('RedrivePolicy', '{"deadLetterTargetArn":"fake-arn"}'), 'InvalidParameter', 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn');
    await snsRejects(set('FilterPolicyScope', 'RandomValue'), 'InvalidParameter', 'Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes');
    await snsRejects(set('FilterPolicy', '{"object":{"key":["x"]}}'), 'InvalidParameter', 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
    await set('FilterPolicyScope', 'MessageBody');
    await set('FilterPolicy', '{"object":{"key":[{"prefix":"auto-"}]}}');
    const a = (await h.n.GetSubscriptionAttributes(ctx, { SubscriptionArn })).Attributes;
    assert.equal(a.FilterPolicyScope, 'MessageBody');
    assert.equal(a.FilterPolicy, '{"object":{"key":[{"prefix":"auto-"}]}}');
    await set('FilterPolicy', ''); // an empty value removes the policy (LocalStack AWS-validated test_filter_policy)
    assert.equal((await h.n.GetSubscriptionAttributes(ctx, { SubscriptionArn })).Attributes.FilterPolicy, undefined);
  });

  it('Unsubscribe is idempotent; ARN checks [AWS-rec test_unsubscribe_idempotency, test_unsubscribe_wrong_arn_format]', async () => {
    const h = await snsHarness();
    const { SubscriptionArn } = await topicWithQueue(h);
    await h.n.Unsubscribe(ctx, { SubscriptionArn });
    await h.n.Unsubscribe(ctx, { SubscriptionArn });
    await snsRejects(h.n.Unsubscribe(ctx, { SubscriptionArn: 'randomstring' }), 'InvalidParameter', 'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1');
    await snsRejects(h.n.Unsubscribe(ctx, { SubscriptionArn: `${topicArn('t1')}:not-a-uuid` }), 'InvalidParameter', 'Invalid parameter: SubscriptionId');
    await snsRejects(h.n.Unsubscribe(ctx, { SubscriptionArn: '' }), 'InvalidParameter', 'Invalid parameter: SubscriptionArn Reason: no value for required parameter');
  });

  it('ListSubscriptionsByTopic pages by 100; ListSubscriptions spans topics', async () => {
    const h = await snsHarness();
    const { TopicArn } = await h.n.CreateTopic(ctx, { Name: 't' });
    const other = (await h.n.CreateTopic(ctx, { Name: 'u' })).TopicArn;
    for (let i = 0; i < 101; i++) await h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: queueArn(`q${i}`) });
    await h.n.Subscribe(ctx, { TopicArn: other, Protocol: 'sqs', Endpoint: queueArn('q0') });
    const first = await h.n.ListSubscriptionsByTopic(ctx, { TopicArn });
    assert.equal(first.Subscriptions.length, 100);
    const second = await h.n.ListSubscriptionsByTopic(ctx, { TopicArn, NextToken: first.NextToken });
    assert.equal(second.Subscriptions.length, 1);
    assert.equal(second.NextToken, undefined);
    const all = await h.n.ListSubscriptions(ctx, {});
    const rest = await h.n.ListSubscriptions(ctx, { NextToken: all.NextToken });
    assert.equal(all.Subscriptions.length + rest.Subscriptions.length, 102);
    assert.deepEqual(Object.keys(first.Subscriptions[0]!), ['SubscriptionArn', 'Owner', 'Protocol', 'Endpoint', 'TopicArn']);
  });
});
