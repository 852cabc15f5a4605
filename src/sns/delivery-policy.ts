// HTTP/S delivery policy: the topic's `http.defaultHealthyRetryPolicy` (defaults recorded on AWS:
// 3 retries, 20 s, linear — shared/spec §8.3), overridden by a subscription's
// `healthyRetryPolicy` unless the topic sets disableSubscriptionOverrides. The retry schedule
// follows AWS's four phases (SNS DG sns-message-delivery-retries): immediate retries, retries at
// minDelay, a backoff from minDelay to maxDelay, then retries at maxDelay.
import { invalidParameter } from '../core/sns-errors.js';

export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential';
}

export const DEFAULT_RETRY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};
export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(text: string | undefined): Obj {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return isObj(v) ? v : {};
  } catch {
    return {};
  }
}

const retryOf = (v: unknown): RetryPolicy => ({ ...DEFAULT_RETRY, ...(isObj(v) ? (v as Partial<RetryPolicy>) : {}) });

/** EffectiveDeliveryPolicy of a topic, in AWS's field order. */
export function effectiveTopicPolicy(deliveryPolicy: string | undefined): Obj {
  const http = isObj(parse(deliveryPolicy).http) ? (parse(deliveryPolicy).http as Obj) : {};
  return {
    http: {
      defaultHealthyRetryPolicy: retryOf(http.defaultHealthyRetryPolicy),
      disableSubscriptionOverrides: http.disableSubscriptionOverrides === true,
      defaultRequestPolicy: { headerContentType: DEFAULT_CONTENT_TYPE, ...(isObj(http.defaultRequestPolicy) ? http.defaultRequestPolicy : {}) },
    },
  };
}

export interface SubscriptionDelivery {
  retry: RetryPolicy;
  contentType: string;
}

/** What an HTTP/S subscription actually uses, from the topic's and its own DeliveryPolicy. */
export function subscriptionDelivery(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): SubscriptionDelivery {
  const topic = effectiveTopicPolicy(topicPolicy).http as { defaultHealthyRetryPolicy: RetryPolicy; disableSubscriptionOverrides: boolean; defaultRequestPolicy: { headerContentType: string } };
  const sub = topic.disableSubscriptionOverrides ? {} : parse(subscriptionPolicy);
  const request = isObj(sub.requestPolicy) ? (sub.requestPolicy as { headerContentType?: string }) : {};
  return {
    retry: isObj(sub.healthyRetryPolicy) ? retryOf(sub.healthyRetryPolicy) : topic.defaultHealthyRetryPolicy,
    contentType: request.headerContentType ?? topic.defaultRequestPolicy.headerContentType,
  };
}

/** EffectiveDeliveryPolicy of an HTTP/S subscription, in the shape AWS recorded. */
export function effectiveSubscriptionPolicy(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): Obj {
  const d = subscriptionDelivery(topicPolicy, subscriptionPolicy);
  const sub = parse(subscriptionPolicy);
  return {
    healthyRetryPolicy: d.retry,
    sicklyRetryPolicy: sub.sicklyRetryPolicy ?? null,
    throttlePolicy: sub.throttlePolicy ?? null,
    requestPolicy: { headerContentType: d.contentType },
    guaranteed: sub.guaranteed ?? false,
  };
}

/** Delay before retry number `n` (1-based), in ms; undefined once retries are exhausted. */
export function retryDelayMs(p: RetryPolicy, n: number): number | undefined {
  if (n > p.numRetries) return undefined;
  if (n <= p.numNoDelayRetries) return 0;
  if (n <= p.numNoDelayRetries + p.numMinDelayRetries) return p.minDelayTarget * 1000;
  const backoff = p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries;
  const k = n - p.numNoDelayRetries - p.numMinDelayRetries;
  if (k > backoff || backoff <= 0) return p.maxDelayTarget * 1000;
  const min = p.minDelayTarget;
  const max = p.maxDelayTarget;
  const t = backoff === 1 ? 1 : (k - 1) / (backoff - 1);
  let s: number;
  switch (p.backoffFunction) {
    case 'geometric':
      s = min * Math.pow(Math.max(max, 1) / Math.max(min, 1), t);
      break;
    case 'exponential':
      s = min + (max - min) * (Math.pow(2, t * 10) - 1) / 1023;
      break;
    case 'arithmetic':
      s = min + (max - min) * t * t;
      break;
    default:
      s = min + (max - min) * t;
  }
  return Math.round(Math.min(Math.max(s, min), max) * 1000);
}

const RETRY_KEYS = ['minDelayTarget', 'maxDelayTarget', 'numRetries', 'numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries'] as const;

/** Checks a DeliveryPolicy value (topic or subscription) before it is stored. */
export function validateDeliveryPolicy(prefix: string, text: string): void {
  if (text === '') return;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw invalidParameter(`${prefix}DeliveryPolicy: failed to parse JSON. ${(e as Error).message}`);
  }
  if (!isObj(v)) throw invalidParameter(`${prefix}DeliveryPolicy: must be a JSON object`);
  const policies = [v.healthyRetryPolicy, isObj(v.http) ? v.http.defaultHealthyRetryPolicy : undefined].filter(isObj);
  for (const p of policies) {
    for (const k of RETRY_KEYS) {
      const n = p[k];
      if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 0)) {
        throw invalidParameter(`${prefix}DeliveryPolicy: ${k} must be a non-negative integer`);
      }
    }
    const r = retryOf(p);
    if (r.minDelayTarget > r.maxDelayTarget) throw invalidParameter(`${prefix}DeliveryPolicy: minDelayTarget must be <= maxDelayTarget`);
    if (r.numRetries > 100) throw invalidParameter(`${prefix}DeliveryPolicy: numRetries must be <= 100`);
    if (!['linear', 'arithmetic', 'geometric', 'exponential'].includes(r.backoffFunction)) {
      throw invalidParameter(`${prefix}DeliveryPolicy: backoffFunction must be linear, arithmetic, geometric or exponential`);
    }
  }
}
