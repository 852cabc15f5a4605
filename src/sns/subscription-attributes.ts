// Subscription attributes: names, checks with AWS's texts (AWS-recorded in LocalStack's
// test_sns.snapshot.json test_validate_set_sub_attributes / test_create_subscriptions_with_attributes,
// and test_sns_filter_policy.snapshot.json), and the GetSubscriptionAttributes view.
import { invalidParameter } from '../core/sns-errors.js';
import type { SubscriptionRecord, TopicRecord } from '../core/sns-store.js';
import { effectiveSubscriptionPolicy, validateDeliveryPolicy } from './delivery-policy.js';
import { compileFilterPolicy, type Scope } from './filter-policy.js';
import { queueTarget } from './topic-cache.js';

export const SUBSCRIPTION_ATTRIBUTES = new Set([
  'RawMessageDelivery',
  'FilterPolicy',
  'FilterPolicyScope',
  'RedrivePolicy',
  'DeliveryPolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

/**
 * Checks `changes` against the subscription they will apply to and returns the merged map.
 * `onSubscribe` picks AWS's Subscribe-time prefix ("Attributes Reason: ").
 */
export function applySubscriptionAttributes(
  topic: TopicRecord,
  protocol: string,
  current: Record<string, string>,
  changes: Record<string, string>,
  onSubscribe: boolean,
): Record<string, string> {
  const prefix = onSubscribe ? 'Attributes Reason: ' : '';
  const next = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidParameter(onSubscribe ? `Attributes Reason: Unknown attribute ${name}` : 'AttributeName');
    switch (name) {
      case 'RawMessageDelivery':
        if (value.toLowerCase() !== 'true' && value.toLowerCase() !== 'false') {
          throw invalidParameter(`${prefix}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
        }
        next[name] = value.toLowerCase();
        continue;
      case 'FilterPolicyScope':
        if (value !== 'MessageAttributes' && value !== 'MessageBody') {
          throw invalidParameter(`${prefix}FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
        }
        break;
      case 'RedrivePolicy':
        if (value !== '') checkRedrive(topic, protocol, prefix, value);
        break;
      case 'DeliveryPolicy':
        validateDeliveryPolicy(prefix, value);
        break;
    }
    if (value === '' && name !== 'RawMessageDelivery') delete next[name];
    else next[name] = value;
  }
  // The policy is checked against the scope it will run under (either may have changed).
  if (next.FilterPolicy) {
    compileFilterPolicy(next.FilterPolicy, (next.FilterPolicyScope ?? 'MessageAttributes') as Scope, onSubscribe);
    next.FilterPolicyScope ??= 'MessageAttributes';
  }
  return next;
}

function checkRedrive(topic: TopicRecord, protocol: string, prefix: string, value: string): void {
  let policy: unknown;
  try {
    policy = JSON.parse(value);
  } catch (e) {
    throw invalidParameter(`${prefix}RedrivePolicy: failed to parse JSON. ${(e as Error).message}`);
  }
  const arn = (policy as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
  const dlq = typeof arn === 'string' ? queueTarget(arn) : undefined;
  if (!dlq) throw invalidParameter(`${prefix}RedrivePolicy: deadLetterTargetArn is an invalid arn`);
  // AWS-recorded (test_validations_for_fifo): a FIFO topic's sqs subscription needs a FIFO DLQ.
  if (topic.fifo && protocol === 'sqs' && !dlq.fifo) {
    throw invalidParameter(`${prefix}RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.`);
  }
}

/** The GetSubscriptionAttributes map, sorted by name as AWS lists it. */
export function subscriptionAttributesView(s: SubscriptionRecord, topic: TopicRecord | undefined): Record<string, string> {
  const out: Record<string, string> = {
    ConfirmationWasAuthenticated: String(s.confirmationWasAuthenticated),
    Endpoint: s.endpoint,
    Owner: s.owner,
    PendingConfirmation: String(s.pendingConfirmation),
    Protocol: s.protocol,
    RawMessageDelivery: 'false',
    SubscriptionArn: s.arn,
    SubscriptionPrincipal: `arn:aws:iam::${s.owner}:user/pier`,
    TopicArn: s.topicArn,
    ...s.attributes,
  };
  if (s.protocol === 'http' || s.protocol === 'https') {
    out.EffectiveDeliveryPolicy = JSON.stringify(effectiveSubscriptionPolicy(topic?.attributes.DeliveryPolicy, s.attributes.DeliveryPolicy));
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
