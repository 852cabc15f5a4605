// AWS JSON 1.0 input: the body is already the input object; this checks member types against
// protocol/shapes.ts so core never sees a string where it expects a number.
import { err } from '../../core/errors.js';
import type { Shape } from '../shapes.js';
import { setOwn } from '../../core/rules/own.js';

const typeName: Record<Shape['t'], string> = {
  string: 'a string',
  integer: 'an integer',
  boolean: 'a boolean',
  list: 'a list',
  map: 'a map',
  struct: 'a structure',
};

function check(path: string, value: unknown, shape: Shape): unknown {
  if (value === null || value === undefined) return undefined;
  const wrong = () => err('SerializationException', `Value of ${path} must be ${typeName[shape.t]}.`);
  switch (shape.t) {
    case 'string':
      if (typeof value !== 'string') throw wrong();
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrong();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong();
      return value;
    case 'list':
      if (!Array.isArray(value)) throw wrong();
      return value.map((v, i) => {
        if (v === null || v === undefined) throw err('SerializationException', `Value of ${path}[${i}] must not be null.`);
        return check(`${path}[${i}]`, v, shape.member);
      });
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw wrong();
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v === null && shape.value.t !== 'string') throw wrong();
        setOwn(out, k, check(`${path}.${k}`, v, shape.value) ?? '');
      }
      return out;
    }
    case 'struct':
      if (typeof value !== 'object' || Array.isArray(value)) throw wrong();
      return checkMembers(path, value as Record<string, unknown>, shape.members);
  }
}

function checkMembers(path: string, input: Record<string, unknown>, members: Record<string, Shape>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, shape] of Object.entries(members)) {
    const v = check(path ? `${path}.${name}` : name, input[name], shape);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export function decodeJsonInput(body: unknown, members: Record<string, Shape>): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw err('SerializationException', 'The request body must be a JSON object.');
  }
  return checkMembers('', body as Record<string, unknown>, members);
}
