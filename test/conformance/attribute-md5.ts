// An independent implementation of SQS's MD5OfMessageAttributes algorithm (spec §5.3), written
// from the spec's description, so the conformance suites can check what the server sends back
// against something other than the server's own code. Checked against the spec's test vectors.
import { createHash } from 'node:crypto';

export interface WireAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export function md5OfAttributes(attributes: Record<string, WireAttribute>): string {
  const parts: Buffer[] = [];
  const withLength = (bytes: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    parts.push(len, bytes);
  };
  const names = Object.keys(attributes).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  for (const name of names) {
    const a = attributes[name];
    withLength(Buffer.from(name, 'utf8'));
    withLength(Buffer.from(a.DataType, 'utf8'));
    if (a.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      withLength(Buffer.from(a.BinaryValue));
    } else {
      parts.push(Buffer.from([1]));
      withLength(Buffer.from(a.StringValue ?? '', 'utf8'));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

export const md5Hex = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
