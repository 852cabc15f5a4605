// Evaluates a compiled filter policy against one message. Paths AND together, the conditions of a
// path OR together, `$or` branches OR together (AWS DG sns-subscription-filter-policies).
// MessageAttributes scope: String values match strings, Number values match numbers (and their
// text), String.Array elements each count; Binary attributes only satisfy `exists`.
// MessageBody scope: the body must be a JSON object; nested keys are dotted paths, arrays are
// searched element by element, and a dotted key in the body is the same path (LocalStack notes
// that AWS treats `{"a.b":1}` and `{"a":{"b":1}}` alike).
import { BlockList, isIP } from 'node:net';
import type { MessageAttributes } from '../core/model.js';
import type { Branch, CompiledPolicy, Condition } from './filter-policy.js';

type Leaf = string | number | boolean | null;
/** Path → the leaf values found there (present but empty means the key exists). */
export type Facts = Map<string, Leaf[]>;

export function attributeFacts(attributes: MessageAttributes): Facts {
  const facts: Facts = new Map();
  for (const [name, a] of Object.entries(attributes)) {
    const type = a.DataType.split('.')[0];
    if (a.DataType === 'String.Array') {
      try {
        const parsed: unknown = JSON.parse(a.StringValue ?? '');
        facts.set(name, Array.isArray(parsed) ? parsed.filter((v): v is Leaf => v === null || typeof v !== 'object') : []);
      } catch {
        facts.set(name, []);
      }
    } else if (type === 'Number') {
      facts.set(name, [Number(a.StringValue), a.StringValue ?? '']);
    } else if (type === 'String') {
      facts.set(name, [a.StringValue ?? '']);
    } else {
      facts.set(name, []);
    }
  }
  return facts;
}

/** Facts of a JSON body; undefined when the body is not a JSON object (nothing then matches). */
export function bodyFacts(body: string): Facts | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const facts: Facts = new Map();
  const add = (path: string, v: unknown) => {
    if (Array.isArray(v)) {
      if (!facts.has(path)) facts.set(path, []);
      for (const e of v) add(path, e);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) add(`${path}.${k}`, child);
    } else {
      const list = facts.get(path) ?? [];
      list.push(v as Leaf);
      facts.set(path, list);
    }
  };
  for (const [k, v] of Object.entries(parsed)) add(k, v);
  return facts;
}

export function matches(policy: CompiledPolicy, facts: Facts | undefined): boolean {
  if (!facts) return false;
  return policy.branches.some((branch) => branchMatches(branch, facts));
}

const branchMatches = (branch: Branch, facts: Facts) =>
  branch.every(({ path, conditions }) => {
    const values = facts.get(path);
    return conditions.some((c) => conditionMatches(c, values));
  });

function conditionMatches(c: Condition, values: Leaf[] | undefined): boolean {
  if (c.op === 'exists') return c.value === (values !== undefined);
  if (values === undefined) return false;
  return values.some((v) => leafMatches(c, v, values));
}

function leafMatches(c: Exclude<Condition, { op: 'exists' }>, v: Leaf, all: Leaf[]): boolean {
  switch (c.op) {
    case 'equals':
      return v === c.value;
    case 'anything-but':
      // Each value present must differ from every listed one (a Number attribute is checked by
      // its numeric value and its text alike, so both must be excluded).
      return v !== null && !c.values.some((x) => all.includes(x));
    case 'anything-but-prefix':
      return typeof v === 'string' && !v.startsWith(c.prefix);
    case 'prefix':
      return typeof v === 'string' && v.startsWith(c.value);
    case 'suffix':
      return typeof v === 'string' && v.endsWith(c.value);
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === c.value.toLowerCase();
    case 'numeric':
      return typeof v === 'number' && numericMatches(c, v);
    case 'cidr':
      return typeof v === 'string' && cidrMatches(c.value, v);
  }
}

function numericMatches(c: Extract<Condition, { op: 'numeric' }>, n: number): boolean {
  if (Number.isNaN(n)) return false;
  if (c.equals !== undefined) return n === c.equals;
  if (c.lower && (c.lower.inclusive ? n < c.lower.value : n <= c.lower.value)) return false;
  if (c.upper && (c.upper.inclusive ? n > c.upper.value : n >= c.upper.value)) return false;
  return true;
}

const cidrCache = new Map<string, BlockList>();

function cidrMatches(cidr: string, ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  let list = cidrCache.get(cidr);
  if (!list) {
    const [net, bits] = cidr.split('/') as [string, string];
    list = new BlockList();
    list.addSubnet(net, Number(bits), isIP(net) === 6 ? 'ipv6' : 'ipv4');
    cidrCache.set(cidr, list);
  }
  return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}
