// AddPermission / RemovePermission, kept as statements of the queue's Policy attribute in the
// shape AWS generates (spec §3): one statement per label; the last removal drops the Policy.
import type { Api, RequestContext } from '../api.js';
import { arnOf, type Deps, required, resolveQueue } from '../deps.js';
import { err, invalidValue } from '../errors.js';
import { limits } from '../limits.js';

type In<A extends keyof Api> = Api[A]['in'];

const ACTIONS = [
  '*', 'SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes',
  'GetQueueUrl', 'ListDeadLetterSourceQueues', 'PurgeQueue', 'ListQueueTags',
];
const LABEL = /^[A-Za-z0-9_-]{1,80}$/;

interface Policy {
  Version: string;
  Id: string;
  Statement: { Sid: string; [k: string]: unknown }[];
}

export async function addPermission(deps: Deps, ctx: RequestContext, input: In<'AddPermission'>) {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const label = required('Label', input.Label);
  const accounts = required('AWSAccountIds', input.AWSAccountIds);
  const actions = required('Actions', input.Actions);
  if (accounts.length === 0) throw err('MissingParameter', 'The request must contain the parameter AWSAccountIds.');
  if (actions.length === 0) throw err('MissingParameter', 'The request must contain the parameter Actions.');
  if (!LABEL.test(label)) throw invalidValue('Label', label, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.');
  if (actions.length > limits.permissionActionsMax) {
    throw err('OverLimit', `${actions.length} Actions were found, maximum allowed is ${limits.permissionActionsMax}.`);
  }
  for (const a of actions) if (!ACTIONS.includes(a)) throw invalidValue('ActionName', `SQS:${a}`, 'Please refer to the appropriate WSDL for a list of valid actions.');
  for (const id of accounts) if (!/^\d{12}$/.test(id)) throw invalidValue('AWSAccountId', id, 'Invalid AWS account id.');

  const arn = arnOf(q);
  const policy: Policy = q.attributes.Policy ? JSON.parse(q.attributes.Policy) : { Version: '2008-10-17', Id: `${arn}/SQSDefaultPolicy`, Statement: [] };
  policy.Statement ??= [];
  if (policy.Statement.some((s) => s.Sid === label)) throw invalidValue('Label', label, 'Already exists.');
  const principals = accounts.map((id) => `arn:aws:iam::${id}:root`);
  const sqsActions = actions.map((a) => `SQS:${a}`);
  policy.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: sqsActions.length === 1 ? sqsActions[0] : sqsActions,
    Resource: arn,
  });
  await deps.store.updateQueue(q.id, { attributes: { ...q.attributes, Policy: JSON.stringify(policy) } });
  return {};
}

export async function removePermission(deps: Deps, ctx: RequestContext, input: In<'RemovePermission'>) {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const label = required('Label', input.Label);
  const policy: Policy | undefined = q.attributes.Policy ? JSON.parse(q.attributes.Policy) : undefined;
  const statements = policy?.Statement ?? [];
  if (!policy || !statements.some((s) => s.Sid === label)) throw invalidValue('Label', label, "can't find label.");
  policy.Statement = statements.filter((s) => s.Sid !== label);
  const attributes = { ...q.attributes };
  if (policy.Statement.length === 0) delete attributes.Policy;
  else attributes.Policy = JSON.stringify(policy);
  await deps.store.updateQueue(q.id, { attributes });
  return {};
}
