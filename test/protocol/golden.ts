// Golden raw-HTTP fixtures: each JSON file under test/protocol/fixtures/<suite>/ is one request
// and the response it must get, compared after normalise() exactly (status, selected headers,
// whole body text). Files in a suite run in name order against one fresh in-process server, so
// later fixtures may use values earlier ones captured ({{name}} in the request).
// UPDATE_GOLDEN=1 rewrites every `expected` from what the server answers: review the diff by hand
// against shared/spec before accepting it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultConfig, startServer, type PierServer } from '../../src/index.js';
import { captureField, normalise } from './normalise.js';
import { rawRequest, type RawResponse } from './raw-http.js';

/** Fixtures live beside the sources (dist/test/protocol → ../../../test/protocol/fixtures). */
export const FIXTURES = fileURLToPath(new URL('../../../test/protocol/fixtures/', import.meta.url));
export const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** The Host every request carries unless it names its own: queue URLs are minted from it. */
export const DEFAULT_HOST = 'localhost:9324';
/** Response headers a fixture pins; all others (date, length, keep-alive) are ignored. */
export const SELECTED_HEADERS = ['content-type', 'x-amzn-query-error', 'x-amzn-requestid'];

export interface FixtureRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Exactly one body form: text (UTF-8), a JSON value, hex bytes, or a generated fill. */
  body?: string;
  json?: unknown;
  bodyHex?: string;
  /** prefix + fill repeated + suffix, `size` total bytes; size may be "maxBodyBytes+N". */
  bodyFill?: { prefix?: string; fill: string; suffix?: string; size: number | string };
  chunked?: boolean;
  headOnly?: boolean;
}

export interface Expected {
  status: number;
  headers: Record<string, string>;
  json?: unknown;
  /** XML split between tags (`><`); joined with '' it is the exact body. */
  xml?: string[];
  text?: string;
}

export interface Fixture {
  description: string;
  request: FixtureRequest;
  /** name → field spec ("ReceiptHandle", "MessageId#2") read from this response. */
  capture?: Record<string, string>;
  expected?: Expected;
}

export interface GoldenRun {
  server(): PierServer;
  captured: Map<string, string>;
}

export function loadSuite(suite: string): { file: string; path: string; fixture: Fixture }[] {
  const dir = `${FIXTURES}${suite}/`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, path: dir + file, fixture: JSON.parse(readFileSync(dir + file, 'utf8')) as Fixture }));
}

/** {{name}} → captured value; {{name|url}} → its percent-encoding (for form bodies). */
export function template(text: string, captured: ReadonlyMap<string, string>): string {
  return text.replace(/\{\{([\w-]+)(\|url)?\}\}/g, (m, name: string, url?: string) => {
    const v = captured.get(name);
    if (v === undefined) throw new Error(`fixture uses {{${name}}} before any fixture captured it`);
    return url ? encodeURIComponent(v) : v;
  });
}

function templateJson(value: unknown, captured: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return template(value, captured);
  if (Array.isArray(value)) return value.map((v) => templateJson(v, captured));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, templateJson(v, captured)]));
  }
  return value;
}

function fillSize(size: number | string): number {
  if (typeof size === 'number') return size;
  const m = /^maxBodyBytes([+-]\d+)?$/.exec(size);
  if (!m) throw new Error(`bad bodyFill size ${size}`);
  return defaultConfig.maxBodyBytes + Number(m[1] ?? 0);
}

export function requestBody(req: FixtureRequest, captured: ReadonlyMap<string, string>): Buffer {
  if (req.json !== undefined) return Buffer.from(JSON.stringify(templateJson(req.json, captured)), 'utf8');
  if (req.bodyHex !== undefined) return Buffer.from(req.bodyHex.replace(/\s+/g, ''), 'hex');
  if (req.bodyFill) {
    const { prefix = '', fill, suffix = '' } = req.bodyFill;
    const head = Buffer.from(template(prefix, captured));
    const tail = Buffer.from(template(suffix, captured));
    const middle = Buffer.alloc(fillSize(req.bodyFill.size) - head.length - tail.length, fill);
    return Buffer.concat([head, middle, tail]);
  }
  return Buffer.from(template(req.body ?? '', captured), 'utf8');
}

export async function send(port: number, req: FixtureRequest, captured: ReadonlyMap<string, string>): Promise<RawResponse> {
  const body = requestBody(req, captured);
  const given = Object.entries(req.headers ?? {}).map(([k, v]) => [k, template(v, captured)] as [string, string]);
  const has = (name: string) => given.some(([k]) => k.toLowerCase() === name);
  const headers: [string, string][] = [];
  if (!has('host')) headers.push(['Host', DEFAULT_HOST]);
  headers.push(...given);
  if (req.chunked) headers.push(['Transfer-Encoding', 'chunked']);
  else if (!has('content-length')) headers.push(['Content-Length', String(body.length)]);
  if (!has('connection')) headers.push(['Connection', 'close']);
  return rawRequest(port, { method: req.method, path: template(req.path, captured), headers, body, chunked: req.chunked, headOnly: req.headOnly });
}

/** What the fixture would record for this response (after normalisation). */
export function observe(res: RawResponse, captured: ReadonlyMap<string, string>, nowMs = Date.now()): Expected {
  // The response's own request id (header) is named, so a body quoting another id would show.
  const requestId = res.headers['x-amzn-requestid'];
  const opts = { captured: requestId ? new Map([...captured, ['request-id', requestId]]) : captured, nowMs };
  const headers: Record<string, string> = {};
  for (const name of SELECTED_HEADERS) {
    const v = res.headers[name];
    if (v !== undefined) headers[name] = normalise(v, opts);
  }
  const text = normalise(res.body.toString('utf8'), opts);
  const out: Expected = { status: res.status, headers };
  const type = res.headers['content-type'] ?? '';
  if (type.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (JSON.stringify(parsed) === text) return { ...out, json: parsed };
    } catch {
      // not JSON after all: recorded as text, which the review will notice
    }
  }
  if (type.includes('xml') && text.startsWith('<')) return { ...out, xml: text.split(/(?<=>)(?=<)/) };
  return { ...out, text };
}

export const bodyText = (e: Expected): string =>
  e.json !== undefined ? JSON.stringify(e.json) : e.xml !== undefined ? e.xml.join('') : (e.text ?? '');

/** Structural diff first (readable), then the exact text (key order, escaping, whitespace). */
export function assertMatches(actual: Expected, expected: Expected, label: string): void {
  assert.equal(actual.status, expected.status, `${label}: HTTP status`);
  assert.deepStrictEqual(actual.headers, expected.headers, `${label}: selected headers`);
  assert.deepStrictEqual({ json: actual.json, xml: actual.xml, text: actual.text }, { json: expected.json, xml: expected.xml, text: expected.text }, `${label}: body`);
  assert.equal(bodyText(actual), bodyText(expected), `${label}: exact body text`);
}

/** Sends one fixture, records captures, then compares (or, with UPDATE_GOLDEN=1, rewrites). */
export async function runFixture(port: number, path: string, fixture: Fixture, captured: Map<string, string>): Promise<RawResponse> {
  const res = await send(port, fixture.request, captured);
  const raw = res.body.toString('utf8');
  for (const [name, spec] of Object.entries(fixture.capture ?? {})) {
    const v = captureField(raw, spec);
    assert.ok(v !== undefined, `capture ${name}: no ${spec} in response ${raw.slice(0, 500)}`);
    captured.set(name, v);
  }
  const actual = observe(res, captured);
  if (UPDATE) {
    writeFileSync(path, JSON.stringify({ ...fixture, expected: actual }, null, 2) + '\n');
    return res;
  }
  assert.ok(fixture.expected, `${path} has no expected response yet: run with UPDATE_GOLDEN=1 and review it`);
  assertMatches(actual, fixture.expected, path.slice(FIXTURES.length));
  return res;
}

/**
 * Registers one test per fixture of a suite, in order, against one server. `extra` runs after
 * the fixtures (same server, same captures) for checks a fixture cannot express.
 */
export function goldenSuite(suite: string, extra?: (run: GoldenRun) => void): void {
  describe(`golden ${suite}`, () => {
    let server: PierServer | undefined;
    const captured = new Map<string, string>();
    before(async () => {
      server = await startServer({ ...defaultConfig, port: 0, storage: 'memory', logLevel: 'warn' });
    });
    after(async () => {
      await server?.stop();
    });
    for (const { file, path, fixture } of loadSuite(suite)) {
      it(`${file}: ${fixture.description}`, async () => {
        await runFixture(server!.port, path, fixture, captured);
      });
    }
    extra?.({ server: () => server!, captured });
  });
}
