// Query protocol input: form pairs → the action's input object, walking protocol/shapes.ts.
// Lists and maps are flattened with 1-based indices; botocore sends an empty list as `Name=`.
import { err } from '../../core/errors.js';
import type { Shape } from '../shapes.js';
import { setOwn } from '../../core/rules/own.js';

type Params = Map<string, string>;

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

/** Indices N present under `base.N…`, ascending. */
export function indices(params: Params, base: string): number[] {
  const found = new Set<number>();
  const lead = `${base}.`;
  for (const key of params.keys()) {
    if (!key.startsWith(lead)) continue;
    const seg = key.slice(lead.length).split('.')[0];
    if (/^\d+$/.test(seg)) found.add(Number(seg));
  }
  return [...found].sort((a, b) => a - b);
}

function decodeValue(params: Params, key: string, shape: Shape): unknown {
  switch (shape.t) {
    case 'string':
      return params.get(key);
    case 'integer': {
      const raw = params.get(key);
      if (raw === undefined) return undefined;
      if (!/^\s*-?\d+\s*$/.test(raw)) throw err('InvalidParameterValue', `Value ${raw} for parameter ${key} is invalid. Reason: must be an integer.`);
      return Number(raw);
    }
    case 'boolean': {
      const raw = params.get(key);
      return raw === undefined ? undefined : raw === 'true';
    }
    case 'list': {
      const base = key;
      const ns = indices(params, base);
      if (ns.length === 0) return params.has(base) ? [] : undefined;
      return ns.map((n) => decodeValue(params, `${base}.${n}`, shape.member));
    }
    case 'map': {
      const ns = indices(params, key);
      if (ns.length === 0) return params.has(key) ? {} : undefined;
      const out: Record<string, unknown> = {};
      for (const n of ns) {
        const name = params.get(`${key}.${n}.${shape.keyName}`);
        if (name === undefined) throw err('MissingParameter', `The request must contain the parameter ${key}.${n}.${shape.keyName}.`);
        setOwn(out, name, decodeValue(params, `${key}.${n}.${shape.valueName}`, shape.value) ?? (shape.value.t === 'string' ? '' : {}));
      }
      return out;
    }
    case 'struct':
      return decodeMembers(params, key, shape.members);
  }
}

function decodeMembers(params: Params, prefix: string, members: Record<string, Shape>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, shape] of Object.entries(members)) {
    const wireName = shape.t === 'list' || shape.t === 'map' ? shape.query : name;
    const v = decodeValue(params, join(prefix, wireName), shape);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export function decodeQueryInput(params: Params, members: Record<string, Shape>): Record<string, unknown> {
  return decodeMembers(params, '', members);
}
