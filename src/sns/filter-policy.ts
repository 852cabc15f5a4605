// Filter policy validation and compilation. A policy is validated once (on Subscribe or
// SetSubscriptionAttributes) with AWS's texts (shared/spec §8.5, AWS-recorded in LocalStack's
// test_sns_filter_policy.snapshot.json) and compiled into branches: `$or` expands into
// alternatives, nested objects into dotted paths. filter-match.ts evaluates the result.
import { invalidParameter, SnsError } from '../core/sns-errors.js';

export type Scope = 'MessageAttributes' | 'MessageBody';

export type Condition =
  | { op: 'equals'; value: string | number | boolean | null }
  | { op: 'anything-but'; values: (string | number | boolean | null)[] }
  | { op: 'anything-but-prefix'; prefix: string }
  | { op: 'prefix'; value: string }
  | { op: 'suffix'; value: string }
  | { op: 'equals-ignore-case'; value: string }
  | { op: 'numeric'; lower?: { value: number; inclusive: boolean }; upper?: { value: number; inclusive: boolean }; equals?: number }
  | { op: 'exists'; value: boolean }
  | { op: 'cidr'; value: string };

/** One alternative: every path must match one of its conditions. */
export type Branch = { path: string; conditions: Condition[] }[];

export interface CompiledPolicy {
  scope: Scope;
  branches: Branch[];
}

export const MAX_KEYS = 5;
export const MAX_COMBINATIONS = 150;
const NUMERIC_OPS = new Set(['<', '<=', '=', '>', '>=']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses, validates and compiles; `onSubscribe` selects AWS's Subscribe-time error prefix. */
export function compileFilterPolicy(text: string, scope: Scope, onSubscribe: boolean): CompiledPolicy {
  const base = onSubscribe ? 'Attributes Reason: ' : '';
  const fail = (reason: string): never => {
    throw invalidParameter(`${base}FilterPolicy: ${reason}`);
  };
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch (e) {
    return fail(`failed to parse JSON. ${(e as Error).message}`);
  }
  if (!isObject(policy)) return fail('Filter policy must be a JSON object');
  if (Object.keys(policy).length > MAX_KEYS) fail(`Filter policy can not have more than ${MAX_KEYS} keys`);

  // Combinations as AWS counts them: the product of each value array's length times its nesting
  // depth; the branches of `$or` add up (AWS DG subscription-filter-policy-constraints).
  const walk = (obj: Record<string, Json>, depth: number, parent: string, combos: number, branches: Branch[]): { combos: number; branches: Branch[] } => {
    for (const [key, value] of Object.entries(obj)) {
      if (key === '$or' && Array.isArray(value)) {
        if (value.length === 0) fail('Empty arrays are not allowed');
        let sum = 0;
        const expanded: Branch[] = [];
        for (const alt of value) {
          if (!isObject(alt)) fail('"$or" must be an object or an array');
          const r = walk(alt as Record<string, Json>, depth, parent, combos, branches);
          sum += r.combos;
          expanded.push(...r.branches);
        }
        combos = sum;
        branches = expanded;
        continue;
      }
      const path = parent ? `${parent}.${key}` : key;
      if (isObject(value)) {
        if (scope === 'MessageAttributes') {
          throw invalidParameter(`${base}Filter policy scope MessageAttributes does not support nested filter policy`);
        }
        const r = walk(value, depth + 1, path, combos, branches);
        combos = r.combos;
        branches = r.branches;
      } else if (Array.isArray(value)) {
        if (value.length === 0) fail('Empty arrays are not allowed');
        const conditions = value.map((rule) => compileRule(rule, fail));
        combos = combos * value.length * depth;
        branches = branches.map((b) => [...b, { path, conditions }]);
      } else {
        fail(`"${key}" must be an object or an array`);
      }
    }
    return { combos, branches };
  };
  const { combos, branches } = walk(policy, 1, '', 1, [[]]);
  if (combos > MAX_COMBINATIONS) fail('Filter policy is too complex');
  return { scope, branches };
}

function compileRule(rule: Json, fail: (reason: string) => never): Condition {
  if (rule === null || typeof rule === 'string' || typeof rule === 'boolean' || typeof rule === 'number') return { op: 'equals', value: rule };
  if (!isObject(rule)) return fail('Match value must be String, number, true, false, or null');
  const keys = Object.keys(rule);
  if (keys.length !== 1) return fail('Only one key allowed in match expression');
  const op = keys[0]!;
  const value = rule[op];
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof value !== 'string') return fail(`${op} match pattern must be a string`);
      return { op, value };
    case 'exists':
      if (typeof value !== 'boolean') return fail('exists match pattern must be either true or false.');
      return { op, value };
    case 'anything-but':
      return anythingBut(value, fail);
    case 'numeric':
      return numeric(value, fail);
    case 'cidr':
      return cidr(value, fail);
    default:
      return fail(`Unrecognized match type ${op}`);
  }
}

function anythingBut(value: Json, fail: (reason: string) => never): Condition {
  if (isObject(value)) {
    const [inner, ...rest] = Object.keys(value);
    if (inner !== 'prefix' || rest.length > 0) return fail(`Unsupported anything-but pattern: ${inner ?? ''}`);
    if (typeof value.prefix !== 'string') return fail('prefix match pattern must be a string');
    return { op: 'anything-but-prefix', prefix: value.prefix };
  }
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) {
    if (v !== null && typeof v === 'object') return fail('Inside anything but list, start|null|boolean is not supported.');
  }
  return { op: 'anything-but', values: values as (string | number | boolean | null)[] };
}

function numeric(value: Json, fail: (reason: string) => never): Condition {
  if (!Array.isArray(value) || value.length === 0) return fail('Invalid member in numeric match: ]');
  const [op1, v1, op2, v2, ...extra] = value;
  if (typeof op1 !== 'string') return fail(`Invalid member in numeric match: ${op1}`);
  if (!NUMERIC_OPS.has(op1)) return fail(`Unrecognized numeric range operator: ${op1}`);
  if (typeof v1 !== 'number') return fail(`Value of ${op1 === '=' ? 'equals' : op1} must be numeric`);
  if (value.length === 2) {
    if (op1 === '=') return { op: 'numeric', equals: v1 };
    const bound = { value: v1, inclusive: op1.endsWith('=') };
    return op1.startsWith('>') ? { op: 'numeric', lower: bound } : { op: 'numeric', upper: bound };
  }
  if (op1 !== '>' && op1 !== '>=') return fail('Too many elements in numeric expression');
  if (typeof op2 !== 'string') return fail(`Bad value in numeric range: ${op2}`);
  if (op2 !== '<' && op2 !== '<=') return fail(`Bad numeric range operator: ${op2}`);
  if (typeof v2 !== 'number') return fail(`Value of ${op2} must be numeric`);
  if (v2 <= v1) return fail('Bottom must be less than top');
  if (extra.length > 0) return fail('Too many terms in numeric range expression');
  return { op: 'numeric', lower: { value: v1, inclusive: op1 === '>=' }, upper: { value: v2, inclusive: op2 === '<=' } };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function cidr(value: Json, fail: (reason: string) => never): Condition {
  // AWS answers a non-string CIDR with the prefix text (LocalStack's AWS-validated tests).
  if (typeof value !== 'string') return fail('prefix match pattern must be a string');
  const parts = value.split('/');
  if (parts.length !== 2) return fail("Malformed CIDR, one '/' required");
  const [ip, bits] = parts as [string, string];
  if (!/^\d+$/.test(bits)) return fail('Malformed CIDR, mask bits must be an integer');
  const v4 = IPV4.test(ip);
  const v6 = !v4 && ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip);
  if ((!v4 && !v6) || Number(bits) > (v4 ? 32 : 128)) return fail(`Nonstandard IP address: ${ip}`);
  return { op: 'cidr', value };
}

/** True for errors this module raises (callers rethrow anything else). */
export const isPolicyError = (e: unknown): e is SnsError => e instanceof SnsError;
