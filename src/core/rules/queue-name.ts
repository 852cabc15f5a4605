// Queue names, ARNs and URLs. Names: 1–80 of [A-Za-z0-9_-], FIFO names end in ".fifo" (counted).
// A URL names its queue by the last two path segments: /<account>/<name>.
import { err } from '../errors.js';
import { limits } from '../limits.js';
import type { QueueKey } from '../model.js';

const NAME = /^[A-Za-z0-9_-]+$/;

export function validateQueueName(name: string, fifo: boolean): void {
  const hasSuffix = name.endsWith('.fifo');
  const base = hasSuffix ? name.slice(0, -5) : name;
  if (fifo !== hasSuffix || name.length > limits.queueNameMax || !NAME.test(base)) {
    throw err('InvalidParameterValue', fifo
      ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
      : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
}

export const queueArn = (q: QueueKey) => `arn:aws:sqs:${q.region}:${q.accountId}:${q.name}`;

export function parseQueueArn(arn: string): QueueKey | undefined {
  const m = /^arn:aws[\w-]*:sqs:([\w-]+):(\d{12}):([\w.-]+)$/.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3] } : undefined;
}

export const queueUrl = (baseUrl: string, q: QueueKey) => `${baseUrl}/${q.accountId}/${q.name}`;

/** Account and name from a queue URL (or a bare path); the region comes from the request. */
export function parseQueueUrl(url: string): { accountId: string; name: string } | undefined {
  let path = url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(url);
  if (scheme) path = url.slice(scheme[0].length);
  path = path.split(/[?#]/)[0];
  const segs = path.split('/').filter(Boolean);
  if (segs.length < 2) return undefined;
  const [accountId, name] = segs.slice(-2);
  if (!/^\d{12}$/.test(accountId) || !name) return undefined;
  return { accountId, name };
}

/** Region a legacy or AWS-style URL host names (sqs.<region>.amazonaws.com, <region>.queue.…). */
export function regionFromQueueUrl(url: string): string | undefined {
  const m = /^[a-z]+:\/\/(?:sqs\.([a-z0-9-]+)\.amazonaws\.com|([a-z0-9-]+)\.queue\.amazonaws\.com)/i.exec(url);
  return m ? (m[1] ?? m[2]) : undefined;
}
