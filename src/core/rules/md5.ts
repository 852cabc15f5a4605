// MD5OfMessageAttributes: sorted names; per attribute: len+name, len+DataType, transport byte
// (1 string/number, 2 binary), len+value; all lengths 4-byte big-endian (spec §5.3). The SDKs
// recompute this and reject a mismatch, so it must match AWS byte for byte.
import type { Crypto } from '../ports.js';
import type { MessageAttributes } from '../model.js';
import { base64ToBytes } from './base64.js';

const utf8 = new TextEncoder();

export function md5OfBody(crypto: Crypto, body: string): string {
  return crypto.md5Hex(utf8.encode(body));
}

export function md5OfAttributes(crypto: Crypto, attributes: MessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort(byCodePoint);
  if (names.length === 0) return undefined;
  const parts: Uint8Array[] = [];
  const field = (bytes: Uint8Array) => {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, bytes.length);
    parts.push(len, bytes);
  };
  for (const name of names) {
    const value = attributes[name];
    field(utf8.encode(name));
    field(utf8.encode(value.DataType));
    if (value.BinaryValue !== undefined) {
      parts.push(Uint8Array.of(2));
      field(base64ToBytes(value.BinaryValue) ?? new Uint8Array());
    } else {
      parts.push(Uint8Array.of(1));
      field(utf8.encode(value.StringValue ?? ''));
    }
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return crypto.md5Hex(all);
}

/** Ordinal (UTF-16 code unit) order, as AWS sorts; localeCompare would differ. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
