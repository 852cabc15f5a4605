// MD5OfMessageBody and MD5OfMessageAttributes against every vector of spec §5.3. The SDKs recompute
// these and throw on a mismatch, so each hash must be byte-exact.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageAttributes } from '../../src/core/model.js';
import { md5OfAttributes, md5OfBody } from '../../src/core/rules/md5.js';
import { nodeCrypto } from '../../src/server.js';
import { bin, str } from './helpers.js';

const vectors: { name: string; attributes: MessageAttributes; md5: string }[] = [
  // npm aws-md5-of-message-attributes test vectors
  { name: 'single String', attributes: { attribName1: str('attribValue 1') }, md5: '19e27d4e946b072f3f58da80d94fd778' },
  {
    name: 'Number with custom label',
    attributes: { customNumberTypeAttrib: str('4563442423554324324264524243.32543234', 'Number.float') },
    md5: '9fe1b90bbd9965bdf77bac517c7d2495',
  },
  { name: 'Binary', attributes: { binaryAttribute: bin('Hello binary world!') }, md5: '31a92b15d92f8db860eda32aceb656c3' },
  {
    name: 'all three together',
    attributes: {
      binaryAttribute: bin('Hello binary world!'),
      customNumberTypeAttrib: str('4563442423554324324264524243.32543234', 'Number.float'),
      attribName1: str('attribValue 1'),
    },
    md5: 'c932db14a896c663f83c260297d594ff',
  },
  // Recorded against AWS (spec §5.3 [AWS-rec])
  { name: 'AWS MyAttribute', attributes: { MyAttribute: str('foobar') }, md5: 'adb59cd4678ea5a855436b949cd07ab6' },
  { name: 'AWS Foo', attributes: { Foo: str('Bar') }, md5: 'ae7155c6026991b6d54b11589678bf9c' },
  { name: 'AWS Number', attributes: { attr1: str('19.12', 'Number') }, md5: '1f07082409022a373fa2a2601f82b3cb' },
  { name: 'AWS two Numbers', attributes: { attr2: str('109.12', 'Number'), attr1: str('99.12', 'Number') }, md5: '9b720b3af309c1c4b0d395c53b08c502' },
  {
    name: 'AWS three Strings incl. a dotted name',
    attributes: { Hello: str('There'), 'Help.Me': str('Me'), General: str('Kenobi') },
    md5: '4c360f3fdafd970e05fae2f149d997f5',
  },
  {
    name: 'AWS Strings and a Number',
    attributes: { WeeksOn: str('6', 'Number'), Title: str('The Whistler'), Author: str('John Grisham') },
    md5: 'd25a6aea97eb8f585bfa92d314504a92',
  },
  {
    name: 'AWS binary with a control byte',
    attributes: { attr1: bin('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01') },
    md5: '8cbe4db156db8a94db8b801b7addb984',
  },
  // Subsets AWS returned for MessageAttributeNames filters (localstack test_sqs.snapshot.json,
  // test_receive_message_message_attribute_names_filters [AWS-rec]).
  { name: 'AWS subset General+Hello', attributes: { General: str('Kenobi'), Hello: str('There') }, md5: 'fca026605781cb4126a1e9044df24232' },
  { name: 'AWS subset Hello', attributes: { Hello: str('There') }, md5: 'a311262e065454b75da111d535b8dacd' },
  { name: 'AWS subset Hello+Help.Me', attributes: { Hello: str('There'), 'Help.Me': str('Me') }, md5: '83fee93c1bcd8b9a5a923ffacdc636c7' },
];

describe('md5OfAttributes (spec §5.3 vectors)', () => {
  for (const v of vectors) {
    it(v.name, () => assert.equal(md5OfAttributes(nodeCrypto, v.attributes), v.md5));
  }

  it('does not depend on the order the attributes were given in', () => {
    const a = { b: str('2'), a: str('1'), C: str('3') };
    const b = { C: str('3'), a: str('1'), b: str('2') };
    assert.equal(md5OfAttributes(nodeCrypto, a), md5OfAttributes(nodeCrypto, b));
  });

  it('changes with the DataType label (full type is hashed)', () => {
    assert.notEqual(md5OfAttributes(nodeCrypto, { n: str('1', 'Number') }), md5OfAttributes(nodeCrypto, { n: str('1', 'Number.int') }));
  });

  it('is undefined for no attributes (AWS omits MD5OfMessageAttributes)', () => {
    assert.equal(md5OfAttributes(nodeCrypto, {}), undefined);
  });
});

describe('md5OfBody', () => {
  const bodies: [string, string][] = [
    ['msg', '6e2baaf3b97dbeef01c0043275f9a0e7'], // spec §5.3 [AWS-rec]
    ['test', '098f6bcd4621d373cade4e832627b4f6'], // AWS-rec binary-attrs-msg snapshot
    ['a', '0cc175b9c0f1b6a831c399e269772661'], // AWS-rec batch snapshot
  ];
  for (const [body, md5] of bodies) it(JSON.stringify(body), () => assert.equal(md5OfBody(nodeCrypto, body), md5));

  it('hashes the UTF-8 bytes, not UTF-16 code units', () => {
    // md5 of the UTF-8 encoding of "é" (c3 a9)
    assert.equal(md5OfBody(nodeCrypto, 'é'), nodeCrypto.md5Hex(Uint8Array.of(0xc3, 0xa9)));
    assert.notEqual(md5OfBody(nodeCrypto, 'é'), nodeCrypto.md5Hex(Uint8Array.of(0xe9)));
  });
});
