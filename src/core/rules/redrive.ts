// RedrivePolicy (on a source queue) and RedriveAllowPolicy (on a dead-letter queue): parsed,
// validated and normalised so GetQueueAttributes returns maxReceiveCount as a JSON number.
import { err, invalidValue } from '../errors.js';

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

const bad = (param: string, value: string, reason: string) => invalidValue(param, value, reason);

export function parseRedrivePolicy(text: string): RedrivePolicy {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error();
  } catch {
    throw bad('RedrivePolicy', text, 'Redrive policy is not a valid JSON map.');
  }
  for (const key of ['deadLetterTargetArn', 'maxReceiveCount']) {
    if (raw[key] === undefined) throw bad('RedrivePolicy', text, `Redrive policy does not contain mandatory attribute: ${key}.`);
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'deadLetterTargetArn' && key !== 'maxReceiveCount') throw bad('RedrivePolicy', text, `Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].`);
  }
  const count = Number(raw.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000 || (typeof raw.maxReceiveCount !== 'number' && !/^\d+$/.test(String(raw.maxReceiveCount)))) {
    throw bad('RedrivePolicy', text, `Invalid value for maxReceiveCount: ${raw.maxReceiveCount}, valid values are from 1 to 1000 both inclusive.`);
  }
  if (typeof raw.deadLetterTargetArn !== 'string') throw bad('RedrivePolicy', text, 'Invalid value for deadLetterTargetArn.');
  return { deadLetterTargetArn: raw.deadLetterTargetArn, maxReceiveCount: count };
}

export const formatRedrivePolicy = (p: RedrivePolicy) =>
  JSON.stringify({ deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: p.maxReceiveCount });

export function parseRedriveAllowPolicy(text: string): RedriveAllowPolicy {
  const unsupported = () => bad('RedriveAllowPolicy', text, 'Amazon SQS can\'t create the redrive allow policy, as it\'s in an unsupported format.');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text);
  } catch {
    throw unsupported();
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw unsupported();
  const permission = raw.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') throw unsupported();
  const arns = raw.sourceQueueArns;
  if (permission === 'byQueue') {
    if (!Array.isArray(arns) || arns.length === 0 || arns.length > 10 || arns.some((a) => typeof a !== 'string')) {
      throw bad('RedriveAllowPolicy', text, 'sourceQueueArns must list 1 to 10 queue ARNs when redrivePermission is byQueue.');
    }
    return { redrivePermission: permission, sourceQueueArns: arns as string[] };
  }
  if (arns !== undefined) throw bad('RedriveAllowPolicy', text, 'sourceQueueArns can be specified only when redrivePermission is byQueue.');
  return { redrivePermission: permission };
}

/** Whether a DLQ's allow policy (absent = allowAll) lets `sourceArn` use it. */
export function redriveAllowed(allowPolicy: string | undefined, sourceArn: string): boolean {
  if (!allowPolicy) return true;
  const p = parseRedriveAllowPolicy(allowPolicy);
  return p.redrivePermission === 'allowAll' || (p.redrivePermission === 'byQueue' && !!p.sourceQueueArns?.includes(sourceArn));
}

export const redriveDenied = (sourceArn: string, text: string) =>
  err('InvalidParameterValue', `Value ${text} for parameter RedrivePolicy is invalid. Reason: Queue ${sourceArn} is not allowed to use the dead-letter queue by its RedriveAllowPolicy.`);
