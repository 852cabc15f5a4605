// A minimal self-signed X.509 certificate (DER by hand, signed with node:crypto), so Pier can
// serve a real certificate at SigningCertURL without a dependency. Subscribers only need the
// public key out of it; a v1 certificate with a CN, a validity and the key is enough for OpenSSL,
// node's X509Certificate and the SNS message validators.
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.of(tag), len(body.length), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  const year = Number(iso.slice(0, 4));
  return year < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

const name = (cn: string) => seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))));

/** PEM of a certificate for `publicKey`, signed by `privateKey` (sha256WithRSAEncryption). */
export function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, commonName: string, nowMs: number, days: number): string {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // positive INTEGER
  const algorithm = seq(oid('1.2.840.113549.1.1.11'), Buffer.of(0x05, 0x00));
  const tbs = seq(
    tlv(0x02, serial),
    algorithm,
    name(commonName),
    seq(time(nowMs - 3600_000), time(nowMs + days * 86_400_000)),
    name(commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, algorithm, tlv(0x03, Buffer.of(0), signature));
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
}

/** A stable file name part for the certificate (AWS uses a 32-hex hash the same way). */
export const certificateHash = (pem: string) => createHash('md5').update(pem).digest('hex');
