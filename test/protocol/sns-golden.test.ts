// Golden raw-HTTP fixtures for SNS (sns-fixtures/*.json, run in name order against one fresh
// server): SNS's non-flattened Query inputs (`entry.N` / `member.N`), its XML layout (AWS's
// indentation, no declaration: the byte counts match AWS-recorded Content-Length headers, see
// src/protocol/sns/encode.ts), error documents, and the Notification envelope a queue receives.
// Beyond golden.ts's normalisation, ISO timestamps, signatures and the certificate hash are
// replaced by placeholders. UPDATE_GOLDEN=1 rewrites `expected`: review the diff by hand.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultConfig, startServer, type PierServer } from '../../src/index.js';
import { send, UPDATE, type FixtureRequest } from './golden.js';
import { captureField, normalise } from './normalise.js';

const DIR = fileURLToPath(new URL('../../../test/protocol/sns-fixtures/', import.meta.url));
const HEADERS = ['content-type', 'x-amzn-requestid'];

interface SnsFixture {
  description: string;
  request: FixtureRequest;
  capture?: Record<string, string>;
  expected?: { status: number; headers: Record<string, string>; lines: string[] };
}

function normaliseSns(text: string, captured: Map<string, string>): string {
  return normalise(text, { captured, nowMs: Date.now() })
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '{{timestamp}}')
    .replace(/(\\?"Signature\\?" : \\?")[A-Za-z0-9+/=]+/g, '$1{{signature}}')
    .replace(/SimpleNotificationService-[0-9a-f]{32}\.pem/g, 'SimpleNotificationService-{{cert}}.pem')
    .replace(/"MD5OfBody":"[0-9a-f]{32}"/g, '"MD5OfBody":"{{md5}}"'); // covers the timestamp and signature
}

describe('golden sns', () => {
  let server: PierServer | undefined;
  const captured = new Map<string, string>();
  before(async () => {
    server = await startServer({ ...defaultConfig, port: 0, storage: 'memory', logLevel: 'silent' });
  });
  after(async () => {
    await server?.stop();
  });
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
    const path = DIR + file;
    const fixture = JSON.parse(readFileSync(path, 'utf8')) as SnsFixture;
    it(`${file}: ${fixture.description}`, async () => {
      const res = await send(server!.port, fixture.request, captured);
      const raw = res.body.toString('utf8');
      for (const [name, spec] of Object.entries(fixture.capture ?? {})) {
        const v = captureField(raw, spec);
        assert.ok(v !== undefined, `capture ${name}: no ${spec} in ${raw.slice(0, 400)}`);
        captured.set(name, v);
      }
      const requestId = res.headers['x-amzn-requestid'];
      const names = requestId ? new Map([...captured, ['request-id', requestId]]) : captured;
      const headers: Record<string, string> = {};
      for (const h of HEADERS) if (res.headers[h] !== undefined) headers[h] = normaliseSns(res.headers[h]!, names);
      const actual = { status: res.status, headers, lines: normaliseSns(raw, names).split('\n') };
      if (UPDATE) {
        writeFileSync(path, JSON.stringify({ ...fixture, expected: actual }, null, 2) + '\n');
        return;
      }
      assert.ok(fixture.expected, `${file} has no expected response yet: run with UPDATE_GOLDEN=1 and review it`);
      assert.deepStrictEqual(actual, fixture.expected, file);
    });
  }
});
