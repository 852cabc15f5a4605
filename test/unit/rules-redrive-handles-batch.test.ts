// RedrivePolicy / RedriveAllowPolicy parsing (spec §4, §6.8), receipt handles (§5.4, §6.1) and the
// batch-wide rules shared by the three batch actions (§3).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateBatch } from '../../src/core/rules/batch.js';
import { decodeReceiptHandle, encodeReceiptHandle } from '../../src/core/rules/receipt-handle.js';
import { formatRedrivePolicy, parseRedriveAllowPolicy, parseRedrivePolicy, redriveAllowed } from '../../src/core/rules/redrive.js';
import { throws } from './helpers.js';

const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';
const SRC = 'arn:aws:sqs:us-east-1:000000000000:src';

describe('parseRedrivePolicy', () => {
  const ok: [string, number][] = [
    [`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":5}`, 5],
    [`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":"5"}`, 5], // clients may send a string
    [`{"maxReceiveCount":1,"deadLetterTargetArn":"${DLQ}"}`, 1],
    [`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":1000}`, 1000],
  ];
  for (const [text, count] of ok) {
    it(`accepts ${text}`, () => assert.deepEqual(parseRedrivePolicy(text), { deadLetterTargetArn: DLQ, maxReceiveCount: count }));
  }
  const bad: [string, RegExp][] = [
    ['not json', /not a valid JSON map/],
    ['[]', /not a valid JSON map/],
    ['null', /not a valid JSON map/],
    [`{"maxReceiveCount":5}`, /mandatory attribute: deadLetterTargetArn/],
    [`{"deadLetterTargetArn":"${DLQ}"}`, /mandatory attribute: maxReceiveCount/],
    [`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":5,"extra":1}`, /Only following attributes are supported/],
    [`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":0}`, /maxReceiveCount/],
    [`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":1001}`, /maxReceiveCount/],
    [`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":1.5}`, /maxReceiveCount/],
    [`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":"abc"}`, /maxReceiveCount/],
    [`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":"5.0"}`, /maxReceiveCount/],
    [`{"deadLetterTargetArn":42,"maxReceiveCount":5}`, /deadLetterTargetArn/],
  ];
  for (const [text, reason] of bad) {
    it(`refuses ${text}`, () => throws(() => parseRedrivePolicy(text), 'InvalidParameterValue', reason));
  }
  it('names the policy text in "Value … for parameter RedrivePolicy is invalid"', () =>
    throws(() => parseRedrivePolicy('{}'), 'InvalidParameterValue', /^Value \{\} for parameter RedrivePolicy is invalid\. Reason: /));

  it('formats maxReceiveCount as a JSON number', () => {
    const text = formatRedrivePolicy(parseRedrivePolicy(`{"maxReceiveCount":"7","deadLetterTargetArn":"${DLQ}"}`));
    assert.equal(text, `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":7}`);
    assert.equal(typeof JSON.parse(text).maxReceiveCount, 'number');
  });
});

describe('parseRedriveAllowPolicy / redriveAllowed', () => {
  it('accepts allowAll and denyAll', () => {
    assert.deepEqual(parseRedriveAllowPolicy('{"redrivePermission":"allowAll"}'), { redrivePermission: 'allowAll' });
    assert.deepEqual(parseRedriveAllowPolicy('{"redrivePermission":"denyAll"}'), { redrivePermission: 'denyAll' });
  });
  it('accepts byQueue with 1–10 source ARNs', () => {
    const arns = Array.from({ length: 10 }, (_, i) => `${SRC}${i}`);
    assert.deepEqual(parseRedriveAllowPolicy(JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: arns })), { redrivePermission: 'byQueue', sourceQueueArns: arns });
  });
  const bad = [
    'nope',
    '"allowAll"',
    '{}',
    '{"redrivePermission":"sometimes"}',
    '{"redrivePermission":"byQueue"}',
    '{"redrivePermission":"byQueue","sourceQueueArns":[]}',
    JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: Array.from({ length: 11 }, (_, i) => `${SRC}${i}`) }),
    `{"redrivePermission":"allowAll","sourceQueueArns":["${SRC}"]}`,
  ];
  for (const text of bad) it(`refuses ${text.slice(0, 60)}`, () => throws(() => parseRedriveAllowPolicy(text), 'InvalidParameterValue'));

  const table: [string | undefined, string, boolean][] = [
    [undefined, SRC, true], // absent = allowAll
    ['{"redrivePermission":"allowAll"}', SRC, true],
    ['{"redrivePermission":"denyAll"}', SRC, false],
    [`{"redrivePermission":"byQueue","sourceQueueArns":["${SRC}"]}`, SRC, true],
    [`{"redrivePermission":"byQueue","sourceQueueArns":["${SRC}"]}`, `${SRC}-other`, false],
  ];
  for (const [policy, source, allowed] of table) {
    it(`${policy ?? '(none)'} → ${source.split(':').pop()} ${allowed ? 'allowed' : 'denied'}`, () => assert.equal(redriveAllowed(policy, source), allowed));
  }
});

describe('receipt handles', () => {
  const refs = [
    { queueId: 1, seq: 1, receiveCount: 1 },
    { queueId: 42, seq: 9_007_199_254_740_991, receiveCount: 1000 },
    { queueId: 0, seq: 0, receiveCount: 0 },
  ];
  for (const r of refs) {
    it(`round-trips ${JSON.stringify(r)}`, () => assert.deepEqual(decodeReceiptHandle(encodeReceiptHandle(r, 'tok_en-1')), r));
  }
  it('differs per token, so handles of two receives are not equal', () => {
    const r = { queueId: 1, seq: 2, receiveCount: 3 };
    assert.notEqual(encodeReceiptHandle(r, 'aaaa'), encodeReceiptHandle(r, 'bbbb'));
  });
  it('is URL-safe and within 1024 chars', () => {
    const h = encodeReceiptHandle({ queueId: 123, seq: 456, receiveCount: 7 }, 'x'.repeat(12));
    assert.match(h, /^[A-Za-z0-9_-]+$/);
    assert.ok(h.length <= 1024);
  });

  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const garbage = [
    'garbage',
    '',
    'not a handle!',
    b64('1:2:3'), // too few parts
    b64('1:2:3:t:extra'),
    b64('a:2:3:t'),
    b64('1:-2:3:t'),
    b64('1:2.5:3:t'),
    b64('1:99999999999999999999:3:t'),
    'A'.repeat(1025),
  ];
  for (const text of garbage) {
    it(`refuses ${JSON.stringify(text.slice(0, 24))} with the AWS text`, () =>
      throws(() => decodeReceiptHandle(text), 'ReceiptHandleIsInvalid', `The input receipt handle "${text}" is not a valid receipt handle.`));
  }
});

describe('batch rules', () => {
  const ids = (...list: (string | undefined)[]) => list.map((Id) => ({ Id }));
  it('accepts 1 and 10 distinct valid ids', () => {
    validateBatch(ids('a'), 'E');
    validateBatch(ids(...Array.from({ length: 10 }, (_, i) => `id_${i}-x`)), 'E');
    validateBatch(ids('x'.repeat(80)), 'E');
  });
  it('refuses an empty or missing list as EmptyBatchRequest naming the entry type', () => {
    throws(() => validateBatch([], 'SendMessageBatchRequestEntry'), 'EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
    throws(() => validateBatch(undefined, 'DeleteMessageBatchRequestEntry'), 'EmptyBatchRequest', /DeleteMessageBatchRequestEntry/);
  });
  it('refuses more than 10 with the AWS text', () =>
    throws(
      () => validateBatch(ids(...Array.from({ length: 20 }, (_, i) => `m${i}`)), 'E'),
      'TooManyEntriesInBatchRequest',
      'Maximum number of entries per request are 10. You have sent 20.',
    ));
  const badIds = ['', 'invalid:id', 'has space', 'ü', 'testLongId'.repeat(9), undefined];
  for (const id of badIds) {
    it(`refuses id ${JSON.stringify(id)?.slice(0, 24)}`, () =>
      throws(
        () => validateBatch(ids('ok', id), 'E'),
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      ));
  }
  it('refuses duplicate ids', () => throws(() => validateBatch(ids('a', 'b', 'a'), 'E'), 'BatchEntryIdsNotDistinct', 'Id a repeated.'));
  it('treats ids as case-sensitive', () => validateBatch(ids('a', 'A'), 'E'));
});
