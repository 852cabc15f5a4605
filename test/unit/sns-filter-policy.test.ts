// The filter policy engine from tables of cases: every operator, both scopes, $or, nesting and
// arrays, the limits, and the validation texts. Sources: SNS DG sns-subscription-filter-policies,
// string-value-matching, numeric-value-matching, subscription-filter-policy-constraints, and the
// AWS-recorded errors in LocalStack's tests/aws/services/sns/test_sns_filter_policy.snapshot.json.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageAttributes } from '../../src/core/model.js';
import { SnsError } from '../../src/core/sns-errors.js';
import { attributeFacts, bodyFacts, matches } from '../../src/sns/filter-match.js';
import { compileFilterPolicy } from '../../src/sns/filter-policy.js';

const s = (v: string) => ({ DataType: 'String', StringValue: v });
const n = (v: string) => ({ DataType: 'Number', StringValue: v });
const arr = (v: unknown[]) => ({ DataType: 'String.Array', StringValue: JSON.stringify(v) });

type AttrCase = [policy: unknown, attributes: MessageAttributes, expected: boolean];

const attributeCases: Record<string, AttrCase[]> = {
  exact: [
    [{ store: ['example_corp'] }, { store: s('example_corp') }, true],
    [{ store: ['example_corp'] }, { store: s('Example_Corp') }, false], // case-sensitive
    [{ store: ['a', 'b'] }, { store: s('b') }, true], // OR within a key
    [{ store: ['a'] }, {}, false], // key absent
    [{ price: [100] }, { price: n('100') }, true],
    [{ price: [100] }, { price: n('100.0') }, true], // numeric equality, not text
    [{ price: [100] }, { price: s('100') }, false], // a String attribute is no number
  ],
  and: [
    [{ a: ['x'], b: ['y'] }, { a: s('x'), b: s('y') }, true],
    [{ a: ['x'], b: ['y'] }, { a: s('x'), b: s('z') }, false],
    [{ a: ['x'] }, { a: s('x'), other: s('ignored') }, true], // keys absent from the policy are ignored
  ],
  prefix: [
    [{ k: [{ prefix: 'auto-' }] }, { k: s('auto-insurance') }, true],
    [{ k: [{ prefix: 'auto-' }] }, { k: s('home-insurance') }, false],
  ],
  suffix: [
    [{ k: [{ suffix: '.png' }] }, { k: s('cat.png') }, true],
    [{ k: [{ suffix: '.png' }] }, { k: s('cat.jpg') }, false],
  ],
  'equals-ignore-case': [
    [{ k: [{ 'equals-ignore-case': 'ORDER' }] }, { k: s('order') }, true],
    [{ k: [{ 'equals-ignore-case': 'ORDER' }] }, { k: s('orders') }, false],
  ],
  'anything-but': [
    [{ k: [{ 'anything-but': 'x' }] }, { k: s('y') }, true],
    [{ k: [{ 'anything-but': 'x' }] }, { k: s('x') }, false],
    [{ k: [{ 'anything-but': ['x', 'y'] }] }, { k: s('y') }, false],
    [{ k: [{ 'anything-but': ['x', 'y'] }] }, { k: s('z') }, true],
    [{ k: [{ 'anything-but': [100] }] }, { k: n('100') }, false],
    [{ k: [{ 'anything-but': [100] }] }, { k: n('99') }, true],
    [{ k: [{ 'anything-but': { prefix: 'org-' } }] }, { k: s('org-sales') }, false],
    [{ k: [{ 'anything-but': { prefix: 'org-' } }] }, { k: s('team-sales') }, true],
    // anything-but needs the attribute to be there (AWS-recorded: null/anything-but policy and no attribute → no delivery)
    [{ k: [null, { 'anything-but': 'whatever' }] }, {}, false],
  ],
  numeric: [
    [{ p: [{ numeric: ['=', 301.5] }] }, { p: n('301.5') }, true],
    [{ p: [{ numeric: ['>', 0, '<=', 100] }] }, { p: n('100') }, true],
    [{ p: [{ numeric: ['>', 0, '<=', 100] }] }, { p: n('0') }, false],
    [{ p: [{ numeric: ['>=', 0, '<', 100] }] }, { p: n('100') }, false],
    [{ p: [{ numeric: ['<', 10] }] }, { p: n('9.99') }, true],
    [{ p: [{ numeric: ['>=', 1e9] }] }, { p: n('1e9') }, true],
    [{ p: [{ numeric: ['>', 0] }] }, { p: s('5') }, false], // numeric matching applies to Number attributes
  ],
  exists: [
    [{ k: [{ exists: true }] }, { k: s('anything') }, true],
    [{ k: [{ exists: true }] }, {}, false],
    [{ k: [{ exists: false }] }, {}, true],
    [{ k: [{ exists: false }] }, { k: s('x') }, false],
    [{ k: [{ exists: true }] }, { k: { DataType: 'Binary', BinaryValue: 'AQI=' } }, true],
  ],
  cidr: [
    [{ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: s('10.0.0.255') }, true],
    [{ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: s('10.0.1.0') }, false],
    [{ ip: [{ cidr: '2001:db8::/32' }] }, { ip: s('2001:db8::1') }, true],
    [{ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: s('not-an-ip') }, false],
  ],
  'String.Array': [
    [{ c: ['rugby'] }, { c: arr(['soccer', 'rugby']) }, true],
    [{ c: ['rugby'] }, { c: arr(['soccer']) }, false],
    [{ c: [5] }, { c: arr([1, 5]) }, true],
    [{ c: [{ prefix: 'ru' }] }, { c: arr(['rugby']) }, true],
  ],
  $or: [
    [{ $or: [{ a: ['x'] }, { b: ['y'] }] }, { b: s('y') }, true],
    [{ $or: [{ a: ['x'] }, { b: ['y'] }] }, { c: s('z') }, false],
    [{ source: ['aws.cloudwatch'], $or: [{ m: ['CPU'] }, { n: ['AWS/EC2'] }] }, { source: s('aws.cloudwatch'), n: s('AWS/EC2') }, true],
    [{ source: ['aws.cloudwatch'], $or: [{ m: ['CPU'] }, { n: ['AWS/EC2'] }] }, { source: s('other'), n: s('AWS/EC2') }, false],
  ],
};

describe('filter policy: MessageAttributes scope', () => {
  for (const [group, cases] of Object.entries(attributeCases)) {
    it(group, () => {
      for (const [policy, attributes, expected] of cases) {
        const compiled = compileFilterPolicy(JSON.stringify(policy), 'MessageAttributes', false);
        assert.equal(matches(compiled, attributeFacts(attributes)), expected, `${JSON.stringify(policy)} vs ${JSON.stringify(attributes)}`);
      }
    });
  }
});

type BodyCase = [policy: unknown, body: unknown, expected: boolean];

const bodyCases: BodyCase[] = [
  [{ k: ['v'] }, { k: 'v' }, true],
  [{ a: { b: ['v'] } }, { a: { b: 'v' } }, true], // nested policy mirrors nested body
  [{ a: { b: ['v'] } }, { a: { b: 'w' } }, false],
  [{ 'a.b': ['v'] }, { a: { b: 'v' } }, true], // dotted key = nested path (LocalStack notes AWS does this)
  [{ a: { b: ['v'] } }, { 'a.b': 'v' }, true],
  [{ a: { b: ['v'] } }, { a: [{ b: 'x' }, { b: 'v' }] }, true], // arrays: any element
  [{ tags: ['red'] }, { tags: ['blue', 'red'] }, true],
  [{ n: [{ numeric: ['>', 1] }] }, { n: 2 }, true],
  [{ n: [{ numeric: ['>', 1] }] }, { n: '2' }, false], // a JSON string is no number
  [{ f: [true] }, { f: true }, true],
  [{ f: [null] }, { f: null }, true],
  [{ f: [null] }, {}, false],
  [{ f: [{ exists: false }] }, { g: 1 }, true],
  [{ f: [{ exists: true }] }, { f: null }, true],
  [{ k: ['v'] }, 'not an object', false],
];

describe('filter policy: MessageBody scope', () => {
  it('matches nested keys, arrays and JSON types', () => {
    for (const [policy, body, expected] of bodyCases) {
      const compiled = compileFilterPolicy(JSON.stringify(policy), 'MessageBody', false);
      assert.equal(matches(compiled, bodyFacts(JSON.stringify(body))), expected, `${JSON.stringify(policy)} vs ${JSON.stringify(body)}`);
    }
  });
  it('a body that is not JSON matches nothing', () => {
    assert.equal(matches(compileFilterPolicy('{"k":["v"]}', 'MessageBody', false), bodyFacts('plain text')), false);
  });
});

const rejections: [policy: string, scope: 'MessageAttributes' | 'MessageBody', message: string][] = [
  ['{"key":[["value"]]}', 'MessageAttributes', 'FilterPolicy: Match value must be String, number, true, false, or null'],
  ['{"key":[{"wrong-operator":true}]}', 'MessageAttributes', 'FilterPolicy: Unrecognized match type wrong-operator'],
  ['{"key":[{"suffix":"value","prefix":"value2"}]}', 'MessageAttributes', 'FilterPolicy: Only one key allowed in match expression'],
  ['{"key":[{"suffix":100}]}', 'MessageAttributes', 'FilterPolicy: suffix match pattern must be a string'],
  ['{"key":{"suffix":"value"}}', 'MessageBody', 'FilterPolicy: "suffix" must be an object or an array'],
  ['{"key_a":"value_one"}', 'MessageAttributes', 'FilterPolicy: "key_a" must be an object or an array'],
  ['{"key":[{"numeric":[]}]}', 'MessageAttributes', 'FilterPolicy: Invalid member in numeric match: ]'],
  ['{"key":[{"numeric":["operator"]}]}', 'MessageAttributes', 'FilterPolicy: Unrecognized numeric range operator: operator'],
  ['{"key":[{"numeric":[1,"<="]}]}', 'MessageAttributes', 'FilterPolicy: Invalid member in numeric match: 1'],
  ['{"key":[{"numeric":["=","000"]}]}', 'MessageAttributes', 'FilterPolicy: Value of equals must be numeric'],
  ['{"key":[{"numeric":[">="]}]}', 'MessageAttributes', 'FilterPolicy: Value of >= must be numeric'],
  ['{"key":[{"numeric":["<",100,">",10]}]}', 'MessageAttributes', 'FilterPolicy: Too many elements in numeric expression'],
  ['{"key":[{"numeric":[">=",1,">",2]}]}', 'MessageAttributes', 'FilterPolicy: Bad numeric range operator: >'],
  ['{"key":[{"numeric":[">",3,"<",1]}]}', 'MessageAttributes', 'FilterPolicy: Bottom must be less than top'],
  ['{"key":[{"numeric":[">",20,30]}]}', 'MessageAttributes', 'FilterPolicy: Bad value in numeric range: 30'],
  ['{"key":[{"numeric":[">",20,"<",30,"<",50]}]}', 'MessageAttributes', 'FilterPolicy: Too many terms in numeric range expression'],
  ['{"key":[{"exists":null}]}', 'MessageAttributes', 'FilterPolicy: exists match pattern must be either true or false.'],
  ['{"key":[{"anything-but":{"suffix":"x"}}]}', 'MessageAttributes', 'FilterPolicy: Unsupported anything-but pattern: suffix'],
  ['{"key":[]}', 'MessageAttributes', 'FilterPolicy: Empty arrays are not allowed'],
  ['{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}', 'MessageAttributes', 'FilterPolicy: Filter policy can not have more than 5 keys'],
  ['{"ip":[{"cidr":"10.0.0.0"}]}', 'MessageAttributes', "FilterPolicy: Malformed CIDR, one '/' required"],
  ['{"object":{"key":["x"]}}', 'MessageAttributes', 'Filter policy scope MessageAttributes does not support nested filter policy'],
];

describe('filter policy validation', () => {
  it('rejects what AWS rejects, with its texts (SetSubscriptionAttributes prefix)', () => {
    for (const [policy, scope, message] of rejections) {
      assert.throws(
        () => compileFilterPolicy(policy, scope, false),
        (e: unknown) => e instanceof SnsError && e.code === 'InvalidParameter' && e.message === `Invalid parameter: ${message}`,
        policy,
      );
    }
  });

  it('Subscribe uses the "Attributes Reason:" prefix', () => {
    assert.throws(() => compileFilterPolicy('{"key":[{"suffix":100}]}', 'MessageAttributes', true), {
      message: 'Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string',
    });
  });

  it('counts combinations as AWS does: product of values × depth, $or branches added', () => {
    // DG example: 4 values three levels deep and 3 values two levels deep: 3×4 × 2×3 = 72 (allowed).
    compileFilterPolicy('{"a":{"b":{"c":["1","2","3","4"]}},"d":{"e":["1","2","3"]}}', 'MessageBody', false);
    // 151 combinations in one key is too many; 150 is fine.
    const values = (k: number) => JSON.stringify(Array.from({ length: k }, (_, i) => `v${i}`));
    compileFilterPolicy(`{"k":${values(150)}}`, 'MessageAttributes', false);
    assert.throws(() => compileFilterPolicy(`{"k":${values(151)}}`, 'MessageAttributes', false), { message: 'Invalid parameter: FilterPolicy: Filter policy is too complex' });
    // 10 × 16 = 160 across two keys.
    assert.throws(() => compileFilterPolicy(`{"a":${values(10)},"b":${values(16)}}`, 'MessageAttributes', false), /too complex/);
    // $or adds its branches: 100 + 51.
    assert.throws(() => compileFilterPolicy(`{"$or":[{"a":${values(100)}},{"b":${values(51)}}]}`, 'MessageAttributes', false), /too complex/);
    compileFilterPolicy(`{"$or":[{"a":${values(100)}},{"b":${values(50)}}]}`, 'MessageAttributes', false);
  });

  it('refuses JSON that does not parse', () => {
    assert.throws(() => compileFilterPolicy('{invalid', 'MessageAttributes', true), /^SnsError|Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON/);
  });
});
