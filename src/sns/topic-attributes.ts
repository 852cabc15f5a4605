// Topic attributes: which are settable, their checks, and the GetTopicAttributes view with the
// computed ones (defaults recorded on AWS, shared/spec §8.3).
import { invalidParameter } from '../core/sns-errors.js';
import type { SubscriptionRecord, TopicRecord } from '../core/sns-store.js';
import { effectiveTopicPolicy, validateDeliveryPolicy } from './delivery-policy.js';

const FEEDBACK = ['HTTP', 'Lambda', 'SQS', 'Firehose', 'Application'].flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`,
  `${p}SuccessFeedbackSampleRate`,
  `${p}FailureFeedbackRoleArn`,
]);

/** Attributes SetTopicAttributes accepts (FifoTopic is create-only, AWS-recorded). */
export const SETTABLE = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'TracingConfig',
  'KmsMasterKeyId',
  'SignatureVersion',
  'ContentBasedDeduplication',
  'FifoThroughputScope',
  'ArchivePolicy',
  'DataProtectionPolicy',
  ...FEEDBACK,
]);

const bool = (v: string) => v === 'true' || v === 'false';

/** Validates one attribute value; `prefix` is "" (SetTopicAttributes) or "Attributes Reason: ". */
export function validateTopicAttribute(name: string, value: string, fifo: boolean, prefix: string): void {
  switch (name) {
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw invalidParameter(`${prefix}SignatureVersion: Invalid value [${value}]. Must be 1 or 2.`);
      break;
    case 'ContentBasedDeduplication':
      if (!fifo) throw invalidParameter(`${prefix}ContentBasedDeduplication: Content-based deduplication can only be set for FIFO topics`);
      if (!bool(value)) throw invalidParameter(`${prefix}ContentBasedDeduplication: Invalid value [${value}]. Must be true or false.`);
      break;
    case 'FifoThroughputScope':
      if (!fifo) throw invalidParameter(`${prefix}FifoThroughputScope: Can only be set for FIFO topics`);
      if (value !== 'Topic' && value !== 'MessageGroup') throw invalidParameter(`${prefix}FifoThroughputScope: Invalid value [${value}]. Please use either Topic or MessageGroup`);
      break;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw invalidParameter(`${prefix}TracingConfig: Invalid value [${value}]. Please use either PassThrough or Active`);
      break;
    case 'DeliveryPolicy':
      validateDeliveryPolicy(prefix, value);
      break;
    case 'Policy':
    case 'DataProtectionPolicy':
    case 'ArchivePolicy':
      if (value !== '') {
        try {
          JSON.parse(value);
        } catch {
          throw invalidParameter(`${prefix}${name}: failed to parse JSON`);
        }
      }
      break;
  }
}

function defaultPolicy(t: TopicRecord): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: t.arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': t.accountId } },
      },
    ],
  });
}

/** The full GetTopicAttributes map, sorted by name as AWS lists it. */
export function topicAttributesView(t: TopicRecord, subs: SubscriptionRecord[]): Record<string, string> {
  const pending = subs.filter((s) => s.pendingConfirmation).length;
  const out: Record<string, string> = {
    DisplayName: '',
    EffectiveDeliveryPolicy: JSON.stringify(effectiveTopicPolicy(t.attributes.DeliveryPolicy)),
    Owner: t.accountId,
    Policy: defaultPolicy(t),
    SubscriptionsConfirmed: String(subs.length - pending),
    SubscriptionsDeleted: String(t.subscriptionsDeleted),
    SubscriptionsPending: String(pending),
    TopicArn: t.arn,
    ...(t.fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : {}),
  };
  for (const [k, v] of Object.entries(t.attributes)) if (v !== '' || k === 'DisplayName') out[k] = v;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
