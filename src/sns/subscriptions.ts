// Subscription actions: Subscribe (sqs by queue ARN, confirmed at once; http/https pending until
// confirmed), ConfirmSubscription, Unsubscribe (idempotent), the two listings (100 a page) and
// Get/SetSubscriptionAttributes. Texts AWS-recorded in LocalStack's test_sns.snapshot.json
// (TestSNSSubscriptionCrud*, TestSNSSubscriptionHttp, test_validations_for_fifo).
import type { RequestContext } from '../core/api.js';
import type { SnsApi, SubscriptionSummary } from '../core/sns-api.js';
import { invalidParameter } from '../core/sns-errors.js';
import type { SubscriptionRecord, TopicRecord } from '../core/sns-store.js';
import { checkSubscriptionArn, checkTopicArn, parseQueueArn, subscriptionMissing, topicMissing, topicOfSubscription } from './arns.js';
import { TOKEN_TTL_MS, type SnsDeps } from './deps.js';
import { confirmationMessage, subscribeUrl, unsubscribeMessage, type ConfirmationFields } from './envelope.js';
import type { OutboxPayload } from './http-delivery.js';
import { applySubscriptionAttributes, SUBSCRIPTION_ATTRIBUTES, subscriptionAttributesView } from './subscription-attributes.js';
import { afterToken, PAGE, pageToken, requireTopic } from './topics.js';

type In<A extends keyof SnsApi> = SnsApi[A]['in'];
type Out<A extends keyof SnsApi> = SnsApi[A]['out'];

/** Protocols AWS knows; Pier delivers to the first three. */
const KNOWN = new Set(['sqs', 'http', 'https', 'email', 'email-json', 'sms', 'application', 'lambda', 'firehose']);
const DELIVERED = new Set(['sqs', 'http', 'https']);

function checkEndpoint(topic: TopicRecord, protocol: string, endpoint: string | undefined): string {
  if (!KNOWN.has(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  if (!DELIVERED.has(protocol)) throw invalidParameter(`Protocol ${protocol} is not supported by this server (sqs, http and https are)`);
  if (protocol === 'sqs') {
    const q = endpoint === undefined ? undefined : parseQueueArn(endpoint);
    if (!q) throw invalidParameter('SQS endpoint ARN');
    if (q.name.endsWith('.fifo') && !topic.fifo) {
      throw invalidParameter('Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
    }
    return endpoint!;
  }
  // FIFO topics deliver only to SQS (SNS DG fifo-topic-message-delivery).
  if (topic.fifo) throw invalidParameter(`Invalid protocol type: ${protocol}`);
  let url: URL | undefined;
  try {
    url = new URL(endpoint ?? '');
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== `${protocol}:`) throw invalidParameter('Endpoint must match the specified protocol');
  return endpoint!;
}

/** Queues a (Un)SubscriptionConfirmation to an HTTP/S endpoint; a new token each time. */
async function sendConfirmation(deps: SnsDeps, ctx: RequestContext, sub: SubscriptionRecord, type: ConfirmationFields['type'], topic: TopicRecord | undefined): Promise<void> {
  const nowMs = deps.clock.now();
  const token = deps.token();
  const confirmation: ConfirmationFields = {
    type,
    messageId: deps.uuid(),
    topicArn: sub.topicArn,
    token,
    message: type === 'SubscriptionConfirmation' ? confirmationMessage(sub.topicArn) : unsubscribeMessage(sub.arn),
    subscribeUrl: subscribeUrl(ctx.baseUrl, sub.topicArn, token),
    timestamp: new Date(nowMs).toISOString(),
  };
  const payload: OutboxPayload = { topicArn: sub.topicArn, baseUrl: ctx.baseUrl, version: topic?.attributes.SignatureVersion ?? '1', confirmation };
  const writes: Promise<void>[] = [
    deps.store.enqueueDeliveries([{ subscriptionArn: sub.arn, endpoint: sub.endpoint, kind: type, body: JSON.stringify(payload), nextAttemptMs: nowMs, createdMs: nowMs }]),
  ];
  if (type === 'SubscriptionConfirmation') writes.push(deps.store.updateSubscription(sub.arn, { token, tokenExpiresMs: nowMs + TOKEN_TTL_MS }));
  await Promise.all(writes);
  deps.wakeDeliverer();
}

export async function subscribe(deps: SnsDeps, ctx: RequestContext, input: In<'Subscribe'>): Promise<Out<'Subscribe'>> {
  const topic = await requireTopic(deps, ctx, input.TopicArn);
  const protocol = input.Protocol ?? '';
  const endpoint = checkEndpoint(topic, protocol, input.Endpoint);
  const given = input.Attributes ?? {};
  const attributes = applySubscriptionAttributes(topic, protocol, {}, given, true);
  const http = protocol === 'http' || protocol === 'https';
  const { subscription, created } = await deps.store.createSubscription({
    arn: `${topic.arn}:${deps.uuid()}`,
    topicArn: topic.arn,
    owner: ctx.accountId,
    protocol,
    endpoint,
    attributes,
    pendingConfirmation: http,
    // Same-account SQS subscriptions are confirmed at once (AWS-recorded).
    confirmationWasAuthenticated: !http,
    createdMs: deps.clock.now(),
  });
  if (!created && Object.keys(given).some((k) => (subscription.attributes[k] ?? (k === 'RawMessageDelivery' ? 'false' : '')) !== attributes[k])) {
    throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
  }
  deps.cache.invalidate(topic.arn);
  if (http && subscription.pendingConfirmation) {
    await sendConfirmation(deps, ctx, subscription, 'SubscriptionConfirmation', topic);
    if (!input.ReturnSubscriptionArn) return { SubscriptionArn: 'pending confirmation' };
  }
  return { SubscriptionArn: subscription.arn };
}

export async function confirmSubscription(deps: SnsDeps, ctx: RequestContext, input: In<'ConfirmSubscription'>): Promise<Out<'ConfirmSubscription'>> {
  let topicArn: string;
  try {
    topicArn = checkTopicArn(ctx, input.TopicArn);
  } catch {
    throw invalidParameter('Topic');
  }
  const token = input.Token ?? '';
  const now = deps.clock.now();
  const subs = (await deps.store.getTopic(topicArn)) ? await deps.store.subscriptionsOfTopic(topicArn) : [];
  const sub = subs.find((s) => token !== '' && s.token === token && (s.tokenExpiresMs ?? Infinity) > now);
  if (!sub) throw invalidParameter('Token');
  if (sub.pendingConfirmation) {
    await deps.store.updateSubscription(sub.arn, { pendingConfirmation: false, confirmationWasAuthenticated: input.AuthenticateOnUnsubscribe === 'true' });
    deps.cache.invalidate(topicArn);
  }
  return { SubscriptionArn: sub.arn };
}

export async function unsubscribe(deps: SnsDeps, ctx: RequestContext, input: In<'Unsubscribe'>): Promise<Out<'Unsubscribe'>> {
  const arn = checkSubscriptionArn(ctx, input.SubscriptionArn);
  const sub = await deps.store.getSubscription(arn);
  if (!sub) return {}; // idempotent (AWS-recorded)
  await deps.store.deleteSubscription(arn);
  deps.cache.invalidate(sub.topicArn);
  if (sub.protocol === 'http' || sub.protocol === 'https') {
    await sendConfirmation(deps, ctx, sub, 'UnsubscribeConfirmation', await deps.store.getTopic(sub.topicArn));
  }
  return {};
}

const summary = (s: SubscriptionRecord): SubscriptionSummary => ({
  SubscriptionArn: s.pendingConfirmation ? 'PendingConfirmation' : s.arn,
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: s.topicArn,
});

function paged(page: SubscriptionRecord[]): { Subscriptions: SubscriptionSummary[]; NextToken?: string } {
  const shown = page.slice(0, PAGE);
  return { Subscriptions: shown.map(summary), NextToken: page.length > PAGE ? pageToken(shown[shown.length - 1]!.arn) : undefined };
}

export async function listSubscriptions(deps: SnsDeps, ctx: RequestContext, input: In<'ListSubscriptions'>): Promise<Out<'ListSubscriptions'>> {
  return paged(await deps.store.listSubscriptions(ctx.accountId, ctx.region, afterToken(input.NextToken), PAGE + 1));
}

export async function listSubscriptionsByTopic(deps: SnsDeps, ctx: RequestContext, input: In<'ListSubscriptionsByTopic'>): Promise<Out<'ListSubscriptionsByTopic'>> {
  const topic = await requireTopic(deps, ctx, input.TopicArn);
  return paged(await deps.store.listSubscriptionsByTopic(topic.arn, afterToken(input.NextToken), PAGE + 1));
}

async function requireSubscription(deps: SnsDeps, ctx: RequestContext, arn: string | undefined): Promise<SubscriptionRecord> {
  const sub = await deps.store.getSubscription(checkSubscriptionArn(ctx, arn));
  if (!sub) throw subscriptionMissing();
  return sub;
}

export async function getSubscriptionAttributes(deps: SnsDeps, ctx: RequestContext, input: In<'GetSubscriptionAttributes'>): Promise<Out<'GetSubscriptionAttributes'>> {
  const sub = await requireSubscription(deps, ctx, input.SubscriptionArn);
  return { Attributes: subscriptionAttributesView(sub, await deps.store.getTopic(sub.topicArn)) };
}

export async function setSubscriptionAttributes(deps: SnsDeps, ctx: RequestContext, input: In<'SetSubscriptionAttributes'>): Promise<Out<'SetSubscriptionAttributes'>> {
  const sub = await requireSubscription(deps, ctx, input.SubscriptionArn);
  const name = input.AttributeName ?? '';
  if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidParameter('AttributeName');
  const topic = await deps.store.getTopic(sub.topicArn);
  if (!topic) throw topicMissing();
  const attributes = applySubscriptionAttributes(topic, sub.protocol, sub.attributes, { [name]: input.AttributeValue ?? '' }, false);
  await deps.store.updateSubscription(sub.arn, { attributes });
  deps.cache.invalidate(topicOfSubscription(sub.arn));
  return {};
}

