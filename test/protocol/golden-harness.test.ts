// The golden harness must hide only what varies between runs: these tests pin what normalise()
// replaces and, above all, that a real difference in status, header or body still fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { defaultConfig, startServer, type PierServer } from '../../src/index.js';
import { inputShapes } from '../../src/protocol/shapes.js';
import { assertMatches, type Expected, type Fixture, FIXTURES, loadSuite, observe, requestBody, send, template } from './golden.js';
import { captureField, normalise } from './normalise.js';
import { parseResponse, type RawResponse } from './raw-http.js';

const NOW = Date.UTC(2026, 0, 15, 12);
const none = new Map<string, string>();
const norm = (text: string, captured: ReadonlyMap<string, string> = none) => normalise(text, { captured, nowMs: NOW });

describe('normalise', () => {
  it('replaces UUIDs, receipt handles and plausible timestamps, nothing else', () => {
    const body = JSON.stringify({
      MessageId: '55953902-6f2f-496f-a410-9a738e86c767',
      ReceiptHandle: 'MToxOjE6NFAyNlNVaVlLR3hm',
      MD5OfBody: '6e2baaf3b97dbeef01c0043275f9a0e7',
      Attributes: { SentTimestamp: String(NOW - 5), CreatedTimestamp: String(NOW / 1000), ApproximateReceiveCount: '1' },
    });
    assert.equal(
      norm(body),
      '{"MessageId":"{{uuid}}","ReceiptHandle":"{{receipt-handle}}","MD5OfBody":"6e2baaf3b97dbeef01c0043275f9a0e7",' +
        '"Attributes":{"SentTimestamp":"{{epoch-ms}}","CreatedTimestamp":"{{epoch-s}}","ApproximateReceiveCount":"1"}}',
    );
  });

  it('leaves a timestamp far from now as it is, so a wrong unit or zero still shows', () => {
    assert.equal(norm('{"SentTimestamp":"1700"}'), '{"SentTimestamp":"1700"}');
    // Seconds where milliseconds belong (and the reverse) are not plausible either.
    assert.equal(norm(`{"SentTimestamp":"${NOW / 1000}"}`), `{"SentTimestamp":"${NOW / 1000}"}`);
    assert.equal(norm(`<Name>CreatedTimestamp</Name><Value>${NOW}</Value>`), `<Name>CreatedTimestamp</Name><Value>${NOW}</Value>`);
    assert.equal(norm(`<Name>CreatedTimestamp</Name><Value>${NOW / 1000}</Value>`), '<Name>CreatedTimestamp</Name><Value>{{epoch-s}}</Value>');
  });

  it('names captured values, longest first, before the generic rules', () => {
    const captured = new Map([['m1', '55953902-6f2f-496f-a410-9a738e86c767'], ['rh', 'abc'], ['rh-long', 'abcdef']]);
    assert.equal(
      norm('<MessageId>55953902-6f2f-496f-a410-9a738e86c767</MessageId><ReceiptHandle>abcdef</ReceiptHandle><X>abc</X>', captured),
      '<MessageId>{{m1}}</MessageId><ReceiptHandle>{{rh-long}}</ReceiptHandle><X>{{rh}}</X>',
    );
  });

  it('captures the n-th field from JSON (unescaped) and XML (unescaped)', () => {
    assert.equal(captureField('{"A":"x\\"y","A":"z"}', 'A#2'), 'z');
    assert.equal(captureField('{"A":"x\\"y"}', 'A'), 'x"y');
    assert.equal(captureField('<A>1&amp;2</A><A>3</A>', 'A'), '1&2');
    assert.equal(captureField('<A>1</A>', 'A#2'), undefined);
  });
});

describe('golden comparison can fail', () => {
  const expected: Expected = {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': '{{request-id}}' },
    json: { MessageId: '{{uuid}}', MD5OfMessageBody: '6e2baaf3b97dbeef01c0043275f9a0e7' },
  };
  const response = (status: number, headers: Record<string, string>, body: string): RawResponse => ({ status, headers, body: Buffer.from(body) });
  const okHeaders = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': '81fdcdba-130d-4bb1-ad3d-937bfd030068' };
  const okBody = '{"MessageId":"55953902-6f2f-496f-a410-9a738e86c767","MD5OfMessageBody":"6e2baaf3b97dbeef01c0043275f9a0e7"}';

  it('accepts the matching response', () => {
    assertMatches(observe(response(200, okHeaders, okBody), none), expected, 'ok');
  });

  it('rejects another status, a changed or extra selected header, a changed value, another key order', () => {
    const cases: [string, RawResponse][] = [
      ['status', response(400, okHeaders, okBody)],
      ['content-type', response(200, { ...okHeaders, 'content-type': 'application/json' }, okBody)],
      ['query error header', response(200, { ...okHeaders, 'x-amzn-query-error': 'X;Sender' }, okBody)],
      ['missing request id', response(200, { 'content-type': okHeaders['content-type'] }, okBody)],
      ['md5', response(200, okHeaders, okBody.replace('6e2b', '6e2c'))],
      ['key order', response(200, okHeaders, '{"MD5OfMessageBody":"6e2baaf3b97dbeef01c0043275f9a0e7","MessageId":"55953902-6f2f-496f-a410-9a738e86c767"}')],
      ['extra member', response(200, okHeaders, okBody.replace('}', ',"SequenceNumber":"1"}'))],
    ];
    for (const [name, res] of cases) {
      assert.throws(() => assertMatches(observe(res, none), expected, name), assert.AssertionError, name);
    }
  });

  it('compares XML as exact text: escaping differences fail', () => {
    const xml = (body: string) => observe(response(200, { 'content-type': 'text/xml' }, body), none);
    const want = xml('<A><Body>say &quot;hi&quot;&#xD;</Body></A>');
    assertMatches(xml('<A><Body>say &quot;hi&quot;&#xD;</Body></A>'), want, 'same');
    assert.throws(() => assertMatches(xml('<A><Body>say "hi"\r</Body></A>'), want, 'unescaped'), assert.AssertionError);
    assert.throws(() => assertMatches(xml('<A><Body>say &quot;hi&quot;&#xD;</Body><B/></A>'), want, 'extra element'), assert.AssertionError);
  });
});

describe('raw HTTP helpers', () => {
  it('parses Content-Length and chunked responses, and waits for the whole body', () => {
    const cl = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5\r\n\r\nhello');
    assert.equal(parseResponse(cl)?.body.toString(), 'hello');
    assert.equal(parseResponse(cl.subarray(0, cl.length - 1)), undefined);
    const chunked = Buffer.from('HTTP/1.1 500 Internal\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n');
    assert.deepEqual({ ...parseResponse(chunked), body: parseResponse(chunked)?.body.toString() }, {
      status: 500,
      headers: { 'transfer-encoding': 'chunked' },
      body: 'abcde',
    });
  });

  it('templates captured values raw or percent-encoded and refuses unknown names', () => {
    const captured = new Map([['h', 'a+b/c=']]);
    assert.equal(template('x={{h}}&y={{h|url}}', captured), 'x=a+b/c=&y=a%2Bb%2Fc%3D');
    assert.throws(() => template('{{nope}}', captured), /before any fixture captured it/);
  });

  it('builds generated bodies of exactly the requested size', () => {
    const body = requestBody({ method: 'POST', path: '/', bodyFill: { prefix: 'a=', fill: 'x', suffix: '!', size: 'maxBodyBytes+1' } }, none);
    assert.equal(body.length, defaultConfig.maxBodyBytes + 1);
    assert.equal(body.subarray(0, 3).toString() + body.subarray(-1).toString(), 'a=x!');
  });
});

describe('a recorded fixture fails against a tampered expectation (live server)', () => {
  let server: PierServer;
  before(async () => {
    server = await startServer({ ...defaultConfig, port: 0, storage: 'memory', logLevel: 'warn' });
  });
  after(async () => {
    await server.stop();
  });

  it('matches as recorded, fails once one MD5 digit of the recording changes', async () => {
    const create = JSON.parse(readFileSync(`${FIXTURES}json/000-create-queue.json`, 'utf8')) as Fixture;
    const sendFixture = JSON.parse(readFileSync(`${FIXTURES}json/027-send-message-attributes.json`, 'utf8')) as Fixture;
    const captured = new Map<string, string>();
    await send(server.port, create.request, captured);
    const res = await send(server.port, sendFixture.request, captured);
    captured.set('m1', captureField(res.body.toString(), 'MessageId')!);
    const actual = observe(res, captured);
    assertMatches(actual, sendFixture.expected!, 'as recorded');
    const tampered = JSON.parse(JSON.stringify(sendFixture.expected).replace('c932db14', 'c932db15')) as Expected;
    assert.throws(() => assertMatches(actual, tampered, 'tampered'), assert.AssertionError);
  });
});

describe('fixture coverage', () => {
  const actions = Object.keys(inputShapes);
  const used = (suite: string) =>
    new Set(
      loadSuite(suite).map(({ fixture: { request: r } }) => {
        const target = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
        if (target) return target.replace(/^AmazonSQS\./, '');
        return /(?:^|[?&])Action=([^&]*)/.exec(`${r.path.split('?')[1] ?? ''}&${r.body ?? ''}`)?.[1];
      }),
    );

  it('has all 23 actions in the table', () => assert.equal(actions.length, 23));
  for (const suite of ['json', 'query']) {
    it(`${suite}: every action has at least one fixture`, () => {
      const have = used(suite);
      assert.deepEqual(actions.filter((a) => !have.has(a)), []);
    });
  }
});
