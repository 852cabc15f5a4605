// FilterCriteria for SQS mappings: event patterns (the EventBridge pattern language Lambda uses,
// Lambda DG "invocation-eventfiltering") matched against each SQSEvent record. A JSON body is
// matched as parsed JSON, any other body as its string. Non-matching SQS messages are deleted,
// as Lambda does. Supported: exact values, prefix, suffix, equals-ignore-case, anything-but,
// numeric ranges, exists.
import type { SqsRecord } from './types.js';

type Pattern = Record<string, unknown>;

export function parsePatterns(texts: string[]): Pattern[] {
  return texts.map((t) => {
    const p = JSON.parse(t) as unknown;
    if (p === null || typeof p !== 'object' || Array.isArray(p)) throw new Error(`filter pattern must be a JSON object: ${t}`);
    return p as Pattern;
  });
}

/** True when the record matches any of the patterns (or there are none). */
export function matchesAny(record: SqsRecord, patterns: Pattern[]): boolean {
  if (patterns.length === 0) return true;
  let body: unknown = record.body;
  try {
    body = JSON.parse(record.body);
  } catch {
    // a plain-text body is matched as the string itself
  }
  const subject = { ...record, body };
  return patterns.some((p) => matchObject(subject, p));
}

function matchObject(value: unknown, pattern: Pattern): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    const field = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(rule)) {
      if (!matchValues(field, rule)) return false;
    } else if (rule !== null && typeof rule === 'object') {
      if (!matchObject(field, rule as Pattern)) return false;
    } else return false;
  }
  return true;
}

/** A field (or each element of an array field) against a list of alternatives. */
function matchValues(field: unknown, alternatives: unknown[]): boolean {
  const values = Array.isArray(field) ? field : [field];
  return alternatives.some((alt) => {
    if (alt !== null && typeof alt === 'object') {
      const [op, arg] = Object.entries(alt as Record<string, unknown>)[0] ?? [];
      if (op === 'exists') return (field !== undefined) === arg;
      return field !== undefined && values.some((v) => matchOperator(v, op!, arg));
    }
    return field !== undefined && values.some((v) => v === alt);
  });
}

function matchOperator(v: unknown, op: string, arg: unknown): boolean {
  switch (op) {
    case 'prefix':
      return typeof v === 'string' && typeof arg === 'string' && v.startsWith(arg);
    case 'suffix':
      return typeof v === 'string' && typeof arg === 'string' && v.endsWith(arg);
    case 'equals-ignore-case':
      return typeof v === 'string' && typeof arg === 'string' && v.toLowerCase() === arg.toLowerCase();
    case 'anything-but':
      return Array.isArray(arg) ? !arg.includes(v) : arg !== null && typeof arg === 'object' ? !matchValues(v, [arg]) : v !== arg;
    case 'numeric':
      return typeof v === 'number' && Array.isArray(arg) && numeric(v, arg);
    default:
      return false;
  }
}

function numeric(v: number, conds: unknown[]): boolean {
  for (let i = 0; i + 1 < conds.length; i += 2) {
    const n = Number(conds[i + 1]);
    const ok = { '<': v < n, '<=': v <= n, '=': v === n, '>': v > n, '>=': v >= n }[String(conds[i])];
    if (!ok) return false;
  }
  return true;
}
