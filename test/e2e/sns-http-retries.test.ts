// HTTP delivery retries, DLQ and isolation, in process on a ManualClock (no sleeps) with a real
// local endpoint. Default policy: 3 retries 20 s apart, linear (AWS-recorded EffectiveDeliveryPolicy;
// SNS DG sns-message-delivery-retries); exhausted or client-error deliveries go to the
// subscription's RedrivePolicy DLQ (SNS DG sns-dead-letter-queues).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ctx } from '../unit/helpers.js';
import { drain, queueArn, snsHarness, type SnsHarness } from '../unit/sns-helpers.js';
import { startEndpoint, type Endpoint } from './sns-endpoint.js';

const endpoints: Endpoint[] = [];
after(async () => {
  for (const e of endpoints) await e.close();
});

/** A confirmed HTTP subscription of a new topic to a new local endpoint. */
async function confirmedHttp(h: SnsHarness, TopicArn: string, attributes?: Record<string, string>) {
  const ep = await startEndpoint();
  endpoints.push(ep);
  const { SubscriptionArn } = await h.n.Subscribe(ctx, { TopicArn, Protocol: 'http', Endpoint: ep.url, Attributes: attributes, ReturnSubscriptionArn: true });
  const token = (JSON.parse((await ep.nth(1)).body) as { Token: string }).Token;
  await h.n.ConfirmSubscription(ctx, { TopicArn, Token: token });
  await h.sns.deliverer.whenIdle();
  return { ep, SubscriptionArn };
}

describe('SNS HTTP delivery retries', () => {
  it('retries a 5xx on the delivery policy schedule, then sends to the DLQ', async () => {
    const h = await snsHarness();
    const { TopicArn } = await h.n.CreateTopic(ctx, { Name: 't' });
    const dlq = (await h.a.CreateQueue(ctx, { QueueName: 'dlq' })).QueueUrl;
    const { ep } = await confirmedHttp(h, TopicArn, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('dlq') }) });
    ep.respond = () => 503;
    await h.n.Publish(ctx, { TopicArn, Message: 'to a sick endpoint' });
    await ep.nth(2);
    for (let attempt = 3; attempt <= 5; attempt++) {
      await h.sns.deliverer.whenIdle();
      h.clock.advance(19_999);
      await h.sns.deliverer.whenIdle();
      assert.equal(ep.received.length, attempt - 1, 'not before 20 s');
      h.clock.advance(1);
      await ep.nth(attempt);
    }
    await h.sns.deliverer.whenIdle();
    h.clock.advance(3600_000);
    await h.sns.deliverer.whenIdle();
    assert.equal(ep.received.length, 5, 'first attempt + numRetries 3, no more');
    const [m] = await drain(h, dlq);
    assert.equal(JSON.parse(m!.Body).Message, 'to a sick endpoint');
  });

  it('a client error (4xx) is not retried; a subscription DeliveryPolicy changes the schedule', async () => {
    const h = await snsHarness();
    const { TopicArn } = await h.n.CreateTopic(ctx, { Name: 't' });
    const dlq = (await h.a.CreateQueue(ctx, { QueueName: 'dlq' })).QueueUrl;
    const { ep, SubscriptionArn } = await confirmedHttp(h, TopicArn, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('dlq') }) });
    ep.respond = () => 403;
    await h.n.Publish(ctx, { TopicArn, Message: 'forbidden' });
    await ep.nth(2);
    await h.sns.deliverer.whenIdle();
    assert.equal((await drain(h, dlq)).length, 1);

    await h.n.SetSubscriptionAttributes(ctx, { SubscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue: JSON.stringify({ healthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 5, numRetries: 1 } }) });
    ep.respond = () => 500;
    await h.n.Publish(ctx, { TopicArn, Message: 'retry in 5 s' });
    await ep.nth(3);
    await h.sns.deliverer.whenIdle();
    h.clock.advance(5_000);
    await ep.nth(4);
    await h.sns.deliverer.whenIdle();
    assert.equal((await drain(h, dlq)).length, 1);
  });

  it('a dead endpoint slows neither Publish nor other subscribers', async () => {
    const h = await snsHarness();
    const { TopicArn } = await h.n.CreateTopic(ctx, { Name: 't' });
    const dead = await confirmedHttp(h, TopicArn);
    const alive = await confirmedHttp(h, TopicArn);
    dead.ep.respond = () => 'hang';
    const queue = (await h.a.CreateQueue(ctx, { QueueName: 'q' })).QueueUrl;
    await h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: queueArn('q') });
    for (let i = 0; i < 20; i++) await h.n.Publish(ctx, { TopicArn, Message: `m${i}` });
    // All 20 reach the healthy endpoint while the dead one holds its 4 slots.
    await alive.ep.nth(21);
    assert.ok(dead.ep.received.length <= 1 + 4, `the dead endpoint got at most its per-subscription cap (${dead.ep.received.length - 1})`);
    assert.equal((await drain(h, queue)).length, 10);
  });
});
