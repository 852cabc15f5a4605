// Queue lifecycle and configuration actions: CreateQueue, DeleteQueue, GetQueueUrl, ListQueues,
// Get/SetQueueAttributes, PurgeQueue, ListDeadLetterSourceQueues.
import type { Api, RequestContext } from '../api.js';
import { arnOf, type Deps, intParam, required, resolveQueue, urlOf } from '../deps.js';
import { err, invalidValue, queueMissing } from '../errors.js';
import { limits } from '../limits.js';
import type { QueueRecord } from '../model.js';
import { base64UrlToUtf8, utf8ToBase64Url } from '../rules/base64.js';
import { defaultAttributes, isKnownAttribute, mergeAttributes, readOnlyAttributes, validateAttributes } from '../rules/queue-attributes.js';
import { parseQueueArn, validateQueueName } from '../rules/queue-name.js';
import { formatRedrivePolicy, parseRedriveAllowPolicy, parseRedrivePolicy, redriveAllowed, redriveDenied } from '../rules/redrive.js';
import { validateTags } from './tags.js';

type In<A extends keyof Api> = Api[A]['in'];
type Out<A extends keyof Api> = Api[A]['out'];

export async function createQueue(deps: Deps, ctx: RequestContext, input: In<'CreateQueue'>): Promise<Out<'CreateQueue'>> {
  const name = required('QueueName', input.QueueName);
  const attrs = input.Attributes ?? {};
  if (attrs.FifoQueue !== undefined && attrs.FifoQueue.toLowerCase() !== 'true') throw err('InvalidAttributeName', 'Unknown Attribute FifoQueue.');
  const fifo = attrs.FifoQueue !== undefined;
  validateQueueName(name, fifo);
  const key = { accountId: ctx.accountId, region: ctx.region, name };
  const changes = await checkRedrive(deps, key, validateAttributes(attrs, fifo, true));
  checkThroughput({ ...defaultAttributes(fifo), ...changes });
  const tags = validateTags(input.tags ?? {});
  const now = deps.scheduler.now();

  const existing = await deps.store.getQueue(key);
  if (existing) return { QueueUrl: sameOrConflict(ctx, existing, changes) };
  const deletedMs = await deps.store.lastDeletedMs(key);
  if (deletedMs !== undefined && now - deletedMs < limits.queueDeletedRecentlyMs) {
    throw err('QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another with the same name.');
  }
  const { queue } = await deps.store.createQueue({
    ...key,
    fifo,
    attributes: mergeAttributes(defaultAttributes(fifo), changes),
    tags,
    createdMs: now,
    lastModifiedMs: now,
    lastPurgeMs: 0,
  });
  // A concurrent create may have won the race; the same rule then applies to its attributes.
  return { QueueUrl: sameOrConflict(ctx, queue, changes) };
}

/** Idempotent create: every attribute the request names must equal the queue's current value. */
function sameOrConflict(ctx: RequestContext, queue: QueueRecord, requested: Record<string, string>): string {
  for (const [name, value] of Object.entries(requested)) {
    const current = queue.attributes[name] ?? '';
    if (current !== value) {
      throw err('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${name}`);
    }
  }
  return urlOf(ctx, queue);
}

/** Validates RedrivePolicy / RedriveAllowPolicy, which need other queues to judge. */
async function checkRedrive(deps: Deps, key: { accountId: string; region: string; name: string }, attrs: Record<string, string>): Promise<Record<string, string>> {
  if (attrs.RedriveAllowPolicy) parseRedriveAllowPolicy(attrs.RedriveAllowPolicy);
  const text = attrs.RedrivePolicy;
  if (!text) return attrs;
  const policy = parseRedrivePolicy(text);
  const dlqKey = parseQueueArn(policy.deadLetterTargetArn);
  // AWS-rec (test_invalid_dead_letter_arn_rejected_before_lookup): a malformed ARN is refused before any lookup.
  if (!dlqKey) throw invalidValue('RedrivePolicy', text, 'Invalid value for deadLetterTargetArn.');
  // AWS requires the dead-letter queue in the source's own account and region.
  const sameHome = dlqKey.accountId === key.accountId && dlqKey.region === key.region;
  const dlq = sameHome ? await deps.store.getQueue(dlqKey) : undefined;
  if (!dlq) throw invalidValue('RedrivePolicy', text, 'Dead letter target does not exist.');
  const sourceArn = `arn:aws:sqs:${key.region}:${key.accountId}:${key.name}`;
  if (dlq.fifo !== key.name.endsWith('.fifo')) throw invalidValue('RedrivePolicy', text, 'Dead-letter queue must be same type of queue as the source.');
  if (!redriveAllowed(dlq.attributes.RedriveAllowPolicy, sourceArn)) throw redriveDenied(sourceArn, text);
  return { ...attrs, RedrivePolicy: formatRedrivePolicy(policy) };
}

/** High-throughput FIFO: perMessageGroupId throughput needs per-group deduplication (spec §4). */
function checkThroughput(attrs: Record<string, string>): void {
  if (attrs.FifoThroughputLimit === 'perMessageGroupId' && attrs.DeduplicationScope !== 'messageGroup') {
    throw err('InvalidAttributeValue', 'Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId is allowed only when DeduplicationScope is messageGroup.');
  }
}

export async function deleteQueue(deps: Deps, ctx: RequestContext, input: In<'DeleteQueue'>): Promise<Out<'DeleteQueue'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  await deps.store.deleteQueue(q.id, deps.scheduler.now());
  deps.waiters.notify(q.id);
  return {};
}

export async function getQueueUrl(deps: Deps, ctx: RequestContext, input: In<'GetQueueUrl'>): Promise<Out<'GetQueueUrl'>> {
  const name = required('QueueName', input.QueueName);
  const accountId = input.QueueOwnerAWSAccountId || ctx.accountId;
  const q = await deps.store.getQueue({ accountId, region: ctx.region, name });
  if (!q) throw queueMissing();
  return { QueueUrl: urlOf(ctx, q) };
}

/** Opaque page token: the last name returned (ListQueues) or listed (dead-letter sources). */
const pageToken = (last: string) => utf8ToBase64Url(JSON.stringify({ after: last }));
function afterToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const after = JSON.parse(base64UrlToUtf8(token) ?? '').after;
    if (typeof after === 'string') return after;
  } catch {
    // fall through
  }
  throw err('InvalidParameterValue', 'Invalid NextToken value.');
}

/** One page of queue URLs; NextToken only when MaxResults was given and more remain (AWS). */
function page(ctx: RequestContext, queues: QueueRecord[], maxResults: number | undefined, nextToken: string | undefined) {
  const after = afterToken(nextToken);
  const rest = after === undefined ? queues : queues.filter((q) => q.name > after);
  const size = maxResults ?? limits.listQueuesMax;
  const shown = rest.slice(0, size);
  const more = maxResults !== undefined && rest.length > size;
  return { urls: shown.map((q) => urlOf(ctx, q)), NextToken: more ? pageToken(shown[shown.length - 1].name) : undefined };
}

const maxResultsParam = (v: number | undefined) =>
  intParam('MaxResults', v, 1, limits.listQueuesMax, 'MaxResults must be an integer between 1 and 1000.');

export async function listQueues(deps: Deps, ctx: RequestContext, input: In<'ListQueues'>): Promise<Out<'ListQueues'>> {
  const max = maxResultsParam(input.MaxResults);
  const queues = await deps.store.listQueues(ctx.accountId, ctx.region, input.QueueNamePrefix || undefined);
  const { urls, NextToken } = page(ctx, queues, max, input.NextToken);
  return { QueueUrls: urls.length ? urls : undefined, NextToken };
}

export async function listDeadLetterSourceQueues(deps: Deps, ctx: RequestContext, input: In<'ListDeadLetterSourceQueues'>): Promise<Out<'ListDeadLetterSourceQueues'>> {
  const dlq = await resolveQueue(deps, ctx, input.QueueUrl);
  const max = maxResultsParam(input.MaxResults);
  const arn = arnOf(dlq);
  const sources = (await deps.store.listQueues(dlq.accountId, dlq.region)).filter((q) => {
    const text = q.attributes.RedrivePolicy;
    return !!text && parseRedrivePolicy(text).deadLetterTargetArn === arn;
  });
  const { urls, NextToken } = page(ctx, sources, max, input.NextToken);
  return { queueUrls: urls, NextToken };
}

export async function getQueueAttributes(deps: Deps, ctx: RequestContext, input: In<'GetQueueAttributes'>): Promise<Out<'GetQueueAttributes'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const names = input.AttributeNames ?? [];
  for (const n of names) if (!isKnownAttribute(n)) throw err('InvalidAttributeName', `Unknown Attribute ${n}.`);
  if (names.length === 0) return {};
  const all = names.includes('All');
  const wanted = (n: string) => all || names.includes(n);
  const out: Record<string, string> = {};
  for (const [n, v] of Object.entries(q.attributes)) if (wanted(n)) out[n] = v;
  if (wanted('ApproximateNumberOfMessages') || wanted('ApproximateNumberOfMessagesNotVisible') || wanted('ApproximateNumberOfMessagesDelayed')) {
    const c = await deps.store.counts(q.id, deps.scheduler.now());
    if (wanted('ApproximateNumberOfMessages')) out.ApproximateNumberOfMessages = String(c.visible);
    if (wanted('ApproximateNumberOfMessagesNotVisible')) out.ApproximateNumberOfMessagesNotVisible = String(c.inflight);
    if (wanted('ApproximateNumberOfMessagesDelayed')) out.ApproximateNumberOfMessagesDelayed = String(c.delayed);
  }
  if (wanted('CreatedTimestamp')) out.CreatedTimestamp = String(Math.floor(q.createdMs / 1000));
  if (wanted('LastModifiedTimestamp')) out.LastModifiedTimestamp = String(Math.floor(q.lastModifiedMs / 1000));
  if (wanted('QueueArn')) out.QueueArn = arnOf(q);
  return Object.keys(out).length ? { Attributes: out } : {};
}

export async function setQueueAttributes(deps: Deps, ctx: RequestContext, input: In<'SetQueueAttributes'>): Promise<Out<'SetQueueAttributes'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const attrs = input.Attributes ?? {};
  if (Object.keys(attrs).length === 0) throw err('MissingParameter', 'The request must contain the parameter Attributes.');
  for (const n of Object.keys(attrs)) {
    if ((readOnlyAttributes as readonly string[]).includes(n)) throw err('InvalidAttributeName', `Unknown Attribute ${n}.`);
  }
  const changes = await checkRedrive(deps, q, validateAttributes(attrs, q.fifo, false));
  checkThroughput({ ...q.attributes, ...changes });
  const now = deps.scheduler.now();
  await deps.store.updateQueue(q.id, { attributes: mergeAttributes(q.attributes, changes), lastModifiedMs: now });
  return {};
}

export async function purgeQueue(deps: Deps, ctx: RequestContext, input: In<'PurgeQueue'>): Promise<Out<'PurgeQueue'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const now = deps.scheduler.now();
  if (q.lastPurgeMs && now - q.lastPurgeMs < limits.purgeIntervalMs) {
    throw err('PurgeQueueInProgress', `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`);
  }
  await deps.store.purgeQueue(q.id);
  await deps.store.updateQueue(q.id, { lastPurgeMs: now });
  return {};
}
