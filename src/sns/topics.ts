// Topic actions: CreateTopic (standard and FIFO, idempotent on equal attributes and tags),
// DeleteTopic (idempotent), ListTopics (100 a page), Get/SetTopicAttributes, and tags.
// Texts AWS-recorded in LocalStack's test_sns.snapshot.json (TestSNSTopicCrud*).
import type { RequestContext } from '../core/api.js';
import type { SnsApi, Tag } from '../core/sns-api.js';
import { invalidParameter, snsErr } from '../core/sns-errors.js';
import type { TopicRecord } from '../core/sns-store.js';
import { checkTopicArn, parseArn, topicArnOf, topicMissing, validTopicName } from './arns.js';
import type { SnsDeps } from './deps.js';
import { SETTABLE, topicAttributesView, validateTopicAttribute } from './topic-attributes.js';

type In<A extends keyof SnsApi> = SnsApi[A]['in'];
type Out<A extends keyof SnsApi> = SnsApi[A]['out'];

export const PAGE = 100;
const TAGS_MAX = 50;

export const pageToken = (lastArn: string) => Buffer.from(lastArn, 'utf8').toString('base64url');
export function afterToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const arn = Buffer.from(token, 'base64url').toString('utf8');
  if (!arn.startsWith('arn:')) throw invalidParameter('NextToken');
  return arn;
}

export async function requireTopic(deps: SnsDeps, ctx: RequestContext, arn: string | undefined): Promise<TopicRecord> {
  const topic = await deps.store.getTopic(checkTopicArn(ctx, arn));
  if (!topic) throw topicMissing();
  return topic;
}

function tagsOf(tags: Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) {
    if (t.Key === undefined || t.Key === '' || t.Key.length > 128) throw invalidParameter('Tags Reason: Tag keys must be between 1 and 128 characters in length.');
    if ((t.Value ?? '').length > 256) throw invalidParameter('Tags Reason: Tag values must be between 0 and 256 characters in length.');
    if (t.Key in out) throw invalidParameter('Duplicated keys are not allowed.');
    out[t.Key] = t.Value ?? '';
  }
  return out;
}

export async function createTopic(deps: SnsDeps, ctx: RequestContext, input: In<'CreateTopic'>): Promise<Out<'CreateTopic'>> {
  const name = input.Name ?? '';
  const attributes = { ...(input.Attributes ?? {}) };
  const fifoAttr = attributes.FifoTopic;
  if (fifoAttr !== undefined && fifoAttr.toLowerCase() !== 'true' && fifoAttr.toLowerCase() !== 'false') {
    throw invalidParameter(`Attributes Reason: FifoTopic: Invalid value [${fifoAttr}]. Must be true or false.`);
  }
  const fifo = fifoAttr?.toLowerCase() === 'true';
  delete attributes.FifoTopic; // AWS keeps no explicit FifoTopic=false; true is implied by `fifo`
  if (!validTopicName(name, fifo)) {
    throw fifo
      ? invalidParameter('Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.')
      : invalidParameter('Topic Name');
  }
  for (const [k, v] of Object.entries(attributes)) {
    if (!SETTABLE.has(k)) throw invalidParameter(`Attributes Reason: Unknown attribute ${k}`);
    validateTopicAttribute(k, v, fifo, 'Attributes Reason: ');
  }
  if (input.DataProtectionPolicy !== undefined) attributes.DataProtectionPolicy = input.DataProtectionPolicy;
  const tags = tagsOf(input.Tags);
  if (Object.keys(tags).length > TAGS_MAX) throw snsErr('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
  const arn = topicArnOf(ctx, name);
  const { topic, created } = await deps.store.createTopic({
    arn,
    accountId: ctx.accountId,
    region: ctx.region,
    name,
    fifo,
    attributes,
    tags,
    createdMs: deps.clock.now(),
    subscriptionsDeleted: 0,
  });
  if (!created) {
    // Idempotent only when nothing differs (AWS-recorded: test_create_duplicate_topic_*).
    const view = topicAttributesView(topic, []);
    if (topic.fifo !== fifo || Object.entries(attributes).some(([k, v]) => (topic.attributes[k] ?? view[k] ?? '') !== v)) {
      throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
    }
    if (Object.entries(tags).some(([k, v]) => topic.tags[k] !== v)) throw invalidParameter('Tags Reason: Topic already exists with different tags');
  }
  return { TopicArn: topic.arn };
}

export async function deleteTopic(deps: SnsDeps, ctx: RequestContext, input: In<'DeleteTopic'>): Promise<Out<'DeleteTopic'>> {
  const arn = checkTopicArn(ctx, input.TopicArn);
  await deps.store.deleteTopic(arn);
  deps.cache.invalidate(arn);
  return {};
}

export async function listTopics(deps: SnsDeps, ctx: RequestContext, input: In<'ListTopics'>): Promise<Out<'ListTopics'>> {
  const page = await deps.store.listTopics(ctx.accountId, ctx.region, afterToken(input.NextToken), PAGE + 1);
  const shown = page.slice(0, PAGE);
  return {
    Topics: shown.map((t) => ({ TopicArn: t.arn })),
    NextToken: page.length > PAGE ? pageToken(shown[shown.length - 1]!.arn) : undefined,
  };
}

export async function getTopicAttributes(deps: SnsDeps, ctx: RequestContext, input: In<'GetTopicAttributes'>): Promise<Out<'GetTopicAttributes'>> {
  const topic = await requireTopic(deps, ctx, input.TopicArn);
  return { Attributes: topicAttributesView(topic, await deps.store.subscriptionsOfTopic(topic.arn)) };
}

export async function setTopicAttributes(deps: SnsDeps, ctx: RequestContext, input: In<'SetTopicAttributes'>): Promise<Out<'SetTopicAttributes'>> {
  const topic = await requireTopic(deps, ctx, input.TopicArn);
  const name = input.AttributeName ?? '';
  const value = input.AttributeValue ?? '';
  if (!SETTABLE.has(name)) throw invalidParameter('AttributeName');
  validateTopicAttribute(name, value, topic.fifo, '');
  const attributes = { ...topic.attributes };
  if (value === '' && name !== 'DisplayName') delete attributes[name];
  else attributes[name] = value;
  await deps.store.updateTopic(topic.arn, { attributes });
  deps.cache.invalidate(topic.arn);
  return {};
}

async function taggedTopic(deps: SnsDeps, ctx: RequestContext, arn: string | undefined): Promise<TopicRecord> {
  const p = parseArn('ResourceArn', arn);
  const topic = p.region === ctx.region ? await deps.store.getTopic(arn!) : undefined;
  if (!topic) throw snsErr('ResourceNotFound', 'Resource does not exist');
  return topic;
}

export async function tagResource(deps: SnsDeps, ctx: RequestContext, input: In<'TagResource'>): Promise<Out<'TagResource'>> {
  const topic = await taggedTopic(deps, ctx, input.ResourceArn);
  const tags = { ...topic.tags, ...tagsOf(input.Tags) };
  if (Object.keys(tags).length > TAGS_MAX) throw snsErr('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
  await deps.store.updateTopic(topic.arn, { tags });
  return {};
}

export async function untagResource(deps: SnsDeps, ctx: RequestContext, input: In<'UntagResource'>): Promise<Out<'UntagResource'>> {
  const topic = await taggedTopic(deps, ctx, input.ResourceArn);
  const tags = { ...topic.tags };
  for (const k of input.TagKeys ?? []) delete tags[k];
  await deps.store.updateTopic(topic.arn, { tags });
  return {};
}

export async function listTagsForResource(deps: SnsDeps, ctx: RequestContext, input: In<'ListTagsForResource'>): Promise<Out<'ListTagsForResource'>> {
  const topic = await taggedTopic(deps, ctx, input.ResourceArn);
  const keys = Object.keys(topic.tags).sort();
  return { Tags: keys.map((Key) => ({ Key, Value: topic.tags[Key]! })) };
}
