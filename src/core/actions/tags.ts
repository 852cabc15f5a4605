// Queue tags (TagQueue, UntagQueue, ListQueueTags) and their limits: ≤50 tags, key 1–128,
// value ≤256 (may be empty), "aws:" reserved.
import type { Api, RequestContext } from '../api.js';
import { type Deps, required, resolveQueue } from '../deps.js';
import { err } from '../errors.js';
import { limits } from '../limits.js';

type In<A extends keyof Api> = Api[A]['in'];

export function validateTags(tags: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > limits.tagKeyMax) throw err('InvalidParameterValue', `Tag keys must be between 1 and ${limits.tagKeyMax} characters in length.`);
    if (key.toLowerCase().startsWith('aws:')) throw err('InvalidParameterValue', 'Tag keys must not start with the reserved prefix aws:.');
    if (String(value).length > limits.tagValueMax) throw err('InvalidParameterValue', `Tag values must be less than ${limits.tagValueMax} characters in length.`);
  }
  if (Object.keys(tags).length > limits.tagsMax) throw tooMany();
  return { ...tags };
}

const tooMany = () => err('InvalidParameterValue', `Too many tags added for queue. The maximum is ${limits.tagsMax}.`);

export async function tagQueue(deps: Deps, ctx: RequestContext, input: In<'TagQueue'>) {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const tags = validateTags(required('Tags', input.Tags));
  if (Object.keys(tags).length === 0) throw err('MissingParameter', 'The request must contain the parameter Tags.');
  const next = { ...q.tags, ...tags };
  if (Object.keys(next).length > limits.tagsMax) throw tooMany();
  await deps.store.updateQueue(q.id, { tags: next });
  return {};
}

export async function untagQueue(deps: Deps, ctx: RequestContext, input: In<'UntagQueue'>) {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const keys = required('TagKeys', input.TagKeys);
  if (keys.length === 0) throw err('MissingParameter', 'The request must contain the parameter TagKeys.');
  const next = { ...q.tags };
  for (const k of keys) delete next[k];
  await deps.store.updateQueue(q.id, { tags: next });
  return {};
}

export async function listQueueTags(deps: Deps, ctx: RequestContext, input: In<'ListQueueTags'>) {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  return Object.keys(q.tags).length ? { Tags: q.tags } : {};
}
