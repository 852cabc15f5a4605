// Message validation (spec §5.1, §5.2, §6.2, §6.7): characters, attribute names/types/values,
// Number syntax, size accounting, system attributes, delay and FIFO-style ids.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageAttributes } from '../../src/core/model.js';
import {
  hasInvalidCharacters,
  messageSize,
  validateBody,
  validateDelay,
  validateFifoId,
  validateMessageAttributes,
  validateSystemAttributes,
} from '../../src/core/rules/message.js';
import { bin, str, throws } from './helpers.js';

const INVALID_CHARS_TEXT =
  'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF';

describe('allowed characters (#x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF)', () => {
  const valid: [string, string][] = [
    ['plain ASCII', 'hello world'],
    ['tab, LF, CR', '\t\n\r'],
    ['space (#x20)', ' '],
    ['#xD7FF', '\uD7FF'],
    ['#xE000', '\uE000'],
    ['#xFFFD', '\uFFFD'],
    ['#x10000 (surrogate pair)', '\u{10000}'],
    ['#x10FFFF', '\u{10FFFF}'],
    ['emoji', 'ok 😀'],
    ['Latin-1 letters', 'øßä'],
  ];
  const invalid: [string, string][] = [
    ['NUL', '\x00'],
    ['backspace #x8', 'a\x08b'],
    ['#x13', '\x13'],
    ['#x1F', '\x1F'],
    ['#xFFFF', '\uFFFF'],
    ['#xFFFE', '\uFFFE'],
    ['lone high surrogate', 'a\uD800b'],
    ['lone low surrogate', '\uDC00'],
    ['surrogates in the wrong order', '\uDE00\uD83D'],
    ['high surrogate at the end', 'abc\uD83D'],
  ];
  for (const [name, text] of valid) it(`accepts ${name}`, () => assert.equal(hasInvalidCharacters(text), false));
  for (const [name, text] of invalid) it(`refuses ${name}`, () => assert.equal(hasInvalidCharacters(text), true));
});

describe('validateBody', () => {
  it('returns a valid body unchanged', () => assert.equal(validateBody('a\u{1F600}\r\n'), 'a\u{1F600}\r\n'));
  for (const body of [undefined, '']) {
    it(`refuses ${JSON.stringify(body)} as MissingParameter`, () =>
      throws(() => validateBody(body), 'MissingParameter', 'The request must contain the parameter MessageBody.'));
  }
  for (const body of ['\x00', '\uFFFF', 'x\uD800']) {
    it(`refuses ${JSON.stringify(body)} as InvalidMessageContents`, () => throws(() => validateBody(body), 'InvalidMessageContents', INVALID_CHARS_TEXT));
  }
});

describe('message attribute names', () => {
  const ok = ['a', 'attr.1øßä' /* AWS accepted, spec §5.2 */, 'a-b_c.d', 'Z9', 'x'.repeat(256), 'awsish', 'my.AWS.thing'];
  const bad = ['', 'AWS.x', 'aws.lower', 'Amazon.x', 'AMAZON.x', '.lead', 'trail.', 'a..b', 'with space', 'a/b', 'a:b', 'x'.repeat(257)];
  for (const name of ok) it(`accepts ${JSON.stringify(name.length > 20 ? `${name.length} chars` : name)}`, () => {
    assert.deepEqual(Object.keys(validateMessageAttributes({ [name]: str('v') })), [name]);
  });
  for (const name of bad) it(`refuses ${JSON.stringify(name.length > 20 ? `${name.length} chars` : name)}`, () => {
    throws(() => validateMessageAttributes({ [name]: str('v') }), 'InvalidParameterValue', /attribute name/);
  });

  it('allows 10 attributes and refuses 11', () => {
    const ten: MessageAttributes = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, str('v')]));
    assert.equal(Object.keys(validateMessageAttributes(ten)).length, 10);
    throws(() => validateMessageAttributes({ ...ten, a10: str('v') }), 'InvalidParameterValue', /11/);
  });
});

describe('message attribute types and values', () => {
  const okTypes: [string, MessageAttributes[string]][] = [
    ['String', str('x')],
    ['Number', str('1', 'Number')],
    ['Binary', bin('\x00\x01')],
    ['String.Array (custom label)', str('["a"]', 'String.Array')],
    ['Number.float', str('1.5', 'Number.float')],
    ['Binary.gif', bin('GIF89a', 'Binary.gif')],
  ];
  for (const [name, value] of okTypes) {
    it(`accepts ${name} and keeps the value`, () => assert.deepEqual(validateMessageAttributes({ k: value }).k, value));
  }
  const badTypes = ['string', 'Text', 'StringX', 'Numbers', `String.${'x'.repeat(250)}`];
  for (const type of badTypes) {
    it(`refuses DataType ${JSON.stringify(type.slice(0, 20))}`, () =>
      throws(() => validateMessageAttributes({ k: { DataType: type, StringValue: 'v' } }), 'InvalidParameterValue', /type/));
  }
  it('refuses a missing DataType', () => throws(() => validateMessageAttributes({ k: { DataType: '', StringValue: 'v' } }), 'InvalidParameterValue'));

  it('refuses an empty String value with the AWS text', () =>
    throws(
      () => validateMessageAttributes({ ErrorDetails: str('') }),
      'InvalidParameterValue',
      "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
    ));
  it('refuses a String attribute without StringValue', () =>
    throws(() => validateMessageAttributes({ k: { DataType: 'String' } }), 'InvalidParameterValue', /non-empty value of type 'String'/));
  it('refuses a Binary attribute without BinaryValue', () =>
    throws(() => validateMessageAttributes({ k: { DataType: 'Binary', StringValue: 'x' } }), 'InvalidParameterValue', /non-empty value of type 'Binary'/));
  it('refuses a Binary value that is not base64', () =>
    throws(() => validateMessageAttributes({ k: { DataType: 'Binary', BinaryValue: 'not base64!' } }), 'InvalidParameterValue'));
  for (const text of ['\x00', '\uFFFF', '\uDFFF']) {
    it(`refuses String value ${JSON.stringify(text)} as InvalidMessageContents`, () =>
      throws(() => validateMessageAttributes({ k: str(text) }), 'InvalidMessageContents'));
  }
});

describe('Number attribute values (≤38 significant digits, 10^-128..10^126)', () => {
  const ok = ['0', '19.12', '-5', '+5', '1e10', '1.5E-3', '.5', '5.', '0.000', '12345678901234567890123456789012345678', '4563442423554324324264524243.32543234', '1e125', '-1e-127'];
  const bad = ['abc', '1,5', '1e', '--1', '0x10', 'NaN', 'Infinity', ' 1', '1 ', '123456789012345678901234567890123456789', '1e127', '1e-129'];
  for (const v of ok) it(`accepts ${v}`, () => assert.equal(validateMessageAttributes({ n: str(v, 'Number') }).n.StringValue, v));
  for (const v of bad) it(`refuses ${JSON.stringify(v)}`, () => throws(() => validateMessageAttributes({ n: str(v, 'Number') }), 'InvalidParameterValue'));
  it('does not apply Number syntax to String attributes', () => assert.equal(validateMessageAttributes({ s: str('abc') }).s.StringValue, 'abc'));
});

describe('messageSize (body + attribute names, types and values, in UTF-8 bytes)', () => {
  const cases: [string, string, MessageAttributes, number][] = [
    ['ASCII body', 'abc', {}, 3],
    ['2-byte char', 'é', {}, 2],
    ['4-byte char', '😀', {}, 4],
    ['String attribute', 'ab', { n: str('v') }, 2 + 1 + 6 + 1],
    ['Number with label', 'x', { num: str('12', 'Number.int') }, 1 + 3 + 10 + 2],
    ['Binary counts decoded bytes', 'x', { b: bin(Uint8Array.of(1, 2, 3, 4)) }, 1 + 1 + 6 + 4],
    ['multibyte attribute name', 'x', { 'ø': str('ü') }, 1 + 2 + 6 + 2],
  ];
  for (const [name, body, attributes, size] of cases) it(name, () => assert.equal(messageSize(body, attributes), size));
});

describe('message system attributes', () => {
  it('accepts AWSTraceHeader as String', () => {
    const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
    assert.deepEqual(validateSystemAttributes({ AWSTraceHeader: str(header) }), { AWSTraceHeader: str(header) });
  });
  it('returns {} when none are given', () => assert.deepEqual(validateSystemAttributes(undefined), {}));
  it('refuses any other name', () => throws(() => validateSystemAttributes({ SenderId: str('x') }), 'InvalidParameterValue', /SenderId/));
  it('refuses a non-String AWSTraceHeader', () => throws(() => validateSystemAttributes({ AWSTraceHeader: bin('x') }), 'InvalidParameterValue'));
  it('refuses an empty AWSTraceHeader', () => throws(() => validateSystemAttributes({ AWSTraceHeader: str('') }), 'InvalidParameterValue'));
  it('refuses invalid characters', () => throws(() => validateSystemAttributes({ AWSTraceHeader: str('\x01') }), 'InvalidMessageContents'));
});

describe('validateDelay (0–900 s)', () => {
  for (const v of [undefined, 0, 1, 900]) it(`accepts ${v}`, () => assert.equal(validateDelay(v), v));
  for (const v of [-1, 901, 1.5]) {
    it(`refuses ${v}`, () =>
      throws(() => validateDelay(v), 'InvalidParameterValue', `Value ${v} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`));
  }
});

describe('validateFifoId (1–128 alphanumerics and ASCII punctuation)', () => {
  const ok = ['group-1', 'a', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', 'x'.repeat(128)];
  const bad = ['', 'a b', 'é', 'x'.repeat(129), 'tab\t'];
  for (const v of ok) it(`accepts ${JSON.stringify(v.slice(0, 20))}`, () => assert.equal(validateFifoId('MessageGroupId', v), v));
  for (const v of bad) {
    it(`refuses ${JSON.stringify(v.slice(0, 20))}`, () =>
      throws(
        () => validateFifoId('MessageGroupId', v),
        'InvalidParameterValue',
        `Value ${v} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      ));
  }
});
