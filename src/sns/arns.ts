// Topic and subscription ARNs with AWS's validation texts (AWS-recorded, LocalStack
// test_sns.snapshot.json: test_publish_wrong_arn_format, test_unsubscribe_wrong_arn_format,
// test_cross_region_access, test_create_topic_name_constraints).
import type { RequestContext } from '../core/api.js';
import { invalidParameter, snsErr } from '../core/sns-errors.js';

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const topicArnOf = (ctx: RequestContext, name: string) => `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;

/** Names: 1–256 of [A-Za-z0-9_-]; a FIFO topic's name ends in .fifo (counted in the 256). */
export function validTopicName(name: string, fifo: boolean): boolean {
  if (name.length > 256) return false;
  if (fifo) return name.endsWith('.fifo') && TOPIC_NAME.test(name.slice(0, -5));
  return TOPIC_NAME.test(name);
}

export interface ParsedArn {
  region: string;
  accountId: string;
  resource: string;
}

/** Splits an ARN, failing with "<param> Reason: An ARN must have at least 6 elements, not N". */
export function parseArn(param: string, arn: string | undefined): ParsedArn {
  if (arn === undefined || arn === '') throw invalidParameter(`${param} Reason: An ARN must have at least 6 elements, not 1`);
  const parts = arn.split(':');
  if (parts.length < 6) throw invalidParameter(`${param} Reason: An ARN must have at least 6 elements, not ${parts.length}`);
  if (parts[0] !== 'arn' || parts[2] !== 'sns') throw invalidParameter(param);
  return { region: parts[3]!, accountId: parts[4]!, resource: parts.slice(5).join(':') };
}

/** A topic ARN of the caller's region (another region's topic is "Invalid parameter: TopicArn"). */
export function checkTopicArn(ctx: RequestContext, arn: string | undefined, param = 'TopicArn'): string {
  const p = parseArn(param, arn);
  if (p.region !== ctx.region || p.resource.includes(':')) throw invalidParameter(param);
  return arn!;
}

/** A subscription ARN: `<topic arn>:<uuid>`; a malformed id is "Invalid parameter: SubscriptionId". */
export function checkSubscriptionArn(ctx: RequestContext, arn: string | undefined): string {
  if (arn === undefined || arn === '') throw invalidParameter('SubscriptionArn Reason: no value for required parameter');
  const p = parseArn('SubscriptionArn', arn);
  const id = p.resource.split(':')[1];
  if (p.region !== ctx.region) throw invalidParameter('SubscriptionArn');
  if (id === undefined || !UUID.test(id)) throw invalidParameter('SubscriptionId');
  return arn;
}

export const topicMissing = () => snsErr('NotFound', 'Topic does not exist');
export const subscriptionMissing = () => snsErr('NotFound', 'Subscription does not exist');

/** The topic a subscription ARN belongs to. */
export const topicOfSubscription = (subscriptionArn: string) => subscriptionArn.slice(0, subscriptionArn.lastIndexOf(':'));

/** SQS queue ARN → account, region, name; undefined when it is not one. */
export function parseQueueArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = /^arn:aws[\w-]*:sqs:([\w-]+):(\d{12}):([\w.-]{1,80})$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : undefined;
}
