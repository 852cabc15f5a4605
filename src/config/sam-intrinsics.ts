// CloudFormation intrinsic functions for the SAM/CloudFormation subset: the YAML short forms
// (!Ref, !GetAtt, !Sub, …) become their Fn:: long forms at parse time, then `evaluate` resolves
// Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::Base64 and the
// pseudo parameters against the template's own resources (CloudFormation User Guide,
// "Intrinsic function reference" and "Pseudo parameters reference").
import type { Tags } from 'yaml';
import type { Fail, Path } from './declarations.js';

const SHORT = ['Ref', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'FindInMap', 'Base64', 'If', 'Equals', 'Not', 'And', 'Or', 'Condition', 'ImportValue', 'GetAZs', 'Cidr'];

const longName = (short: string) => (short === 'Ref' || short === 'Condition' ? short : `Fn::${short}`);

/** yaml custom tags for every short form, scalar and sequence (and map, for !Sub-like uses). */
export const cfnTags: Tags = SHORT.flatMap((name) => [
  { tag: `!${name}`, resolve: (s: string) => ({ [longName(name)]: name === 'GetAtt' ? s.split('.') : s }) },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => ({ [longName(name)]: seq.toJSON() }) },
  { tag: `!${name}`, collection: 'map' as const, resolve: (map: { toJSON(): unknown }) => ({ [longName(name)]: map.toJSON() }) },
]);

/** What Ref and Fn::GetAtt resolve to. */
export interface Resolver {
  ref(name: string): string | undefined;
  getAtt(resource: string, attribute: string): string | undefined;
  mappings: Record<string, unknown>;
}

/** Marks "remove this key" (AWS::NoValue). */
export const NO_VALUE = Symbol('AWS::NoValue');

export function evaluate(v: unknown, path: Path, r: Resolver, fail: Fail): unknown {
  if (Array.isArray(v)) return v.map((x, i) => evaluate(x, [...path, i], r, fail)).filter((x) => x !== NO_VALUE);
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 1 && (entries[0]![0] === 'Ref' || entries[0]![0].startsWith('Fn::'))) return intrinsic(entries[0]![0], entries[0]![1], path, r, fail);
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries) {
    const e = evaluate(x, [...path, k], r, fail);
    if (e !== NO_VALUE) out[k] = e;
  }
  return out;
}

function intrinsic(fn: string, arg: unknown, path: Path, r: Resolver, fail: Fail): unknown {
  const at = [...path, fn];
  const str = (x: unknown, p: Path = at) => {
    const e = evaluate(x, p, r, fail);
    if (typeof e !== 'string' && typeof e !== 'number') fail(p, `${fn} needs a string here, got ${JSON.stringify(e)}`);
    return String(e);
  };
  switch (fn) {
    case 'Ref': {
      const name = str(arg);
      if (name === 'AWS::NoValue') return NO_VALUE;
      const value = r.ref(name);
      if (value === undefined) fail(at, `Ref to ${name}: no such resource, parameter or supported pseudo parameter`);
      return value;
    }
    case 'Fn::GetAtt': {
      const parts = Array.isArray(arg) ? arg.map((x) => str(x)) : str(arg).split('.');
      const [resource, ...rest] = parts;
      const value = r.getAtt(resource ?? '', rest.join('.'));
      if (value === undefined) fail(at, `GetAtt ${parts.join('.')}: not a supported attribute of a resource in this template`);
      return value;
    }
    case 'Fn::Sub': {
      const [template, vars] = Array.isArray(arg) ? [arg[0], (arg[1] ?? {}) as Record<string, unknown>] : [arg, {}];
      if (typeof template !== 'string') fail(at, 'Sub needs a string template');
      return template.replace(/\$\{(!?)([^}]+)\}/g, (whole, bang: string, name: string) => {
        if (bang) return `\${${name}}`; // ${!Literal} stays literal
        if (name in vars) return str(vars[name], [...at, 1, name]);
        const dot = name.indexOf('.');
        const value = dot > 0 && !name.startsWith('AWS::') ? r.getAtt(name.slice(0, dot), name.slice(dot + 1)) : r.ref(name);
        if (value === undefined) fail(at, `Sub: cannot resolve \${${name}}`);
        return value;
      });
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2) fail(at, 'Join needs [delimiter, [values]]');
      const list = evaluate(arg[1], [...at, 1], r, fail);
      if (!Array.isArray(list)) fail(at, 'Join needs a list of values');
      return list.map(String).join(String(arg[0]));
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg) || arg.length !== 2) fail(at, 'Select needs [index, [values]]');
      const list = evaluate(arg[1], [...at, 1], r, fail);
      const i = Number(evaluate(arg[0], [...at, 0], r, fail));
      if (!Array.isArray(list) || !(i >= 0 && i < list.length)) fail(at, 'Select index out of range');
      return list[i];
    }
    case 'Fn::Split': {
      if (!Array.isArray(arg) || arg.length !== 2) fail(at, 'Split needs [delimiter, string]');
      return str(arg[1], [...at, 1]).split(String(arg[0]));
    }
    case 'Fn::FindInMap': {
      if (!Array.isArray(arg) || arg.length < 3) fail(at, 'FindInMap needs [map, key, key]');
      const [m, k1, k2] = arg.map((x, i) => str(x, [...at, i]));
      const value = ((r.mappings[m!] as Record<string, Record<string, unknown>> | undefined)?.[k1!] ?? {})[k2!];
      if (value === undefined) fail(at, `FindInMap ${m}.${k1}.${k2}: not in Mappings`);
      return value;
    }
    case 'Fn::Base64':
      return Buffer.from(str(arg)).toString('base64');
    default:
      return fail(at, `${fn} is not supported by Pier's template loader (supported: Ref, GetAtt, Sub, Join, Select, Split, FindInMap, Base64)`);
  }
}
