// Publish message attributes, checked with SNS's own texts (AWS-recorded in LocalStack's
// test_sns.snapshot.json: test_empty_or_wrong_message_attributes, test_message_attributes_prefixes).
// SNS differs from SQS here: ParameterValueInvalid, "must use field 'String'", and a
// ValidationError when DataType is missing altogether.
import type { MessageAttributes, MessageAttributeValue } from '../core/model.js';
import { snsErr } from '../core/sns-errors.js';
import { setOwn } from '../core/rules/own.js';

const TYPE = /^(String|Number|Binary)(\..+)?$/;
const NAME_CHAR = /^[A-Za-z0-9_.-]$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const invalid = (message: string) => snsErr('ParameterValueInvalid', message);

/** `where` names the member path for the ValidationError text, e.g. "messageAttributes". */
export function validateAttributes(attributes: MessageAttributes | undefined, where: string): MessageAttributes {
  const out: MessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) setOwn(out, name, validateAttribute(name, value, where));
  return out;
}

function validateAttribute(name: string, value: MessageAttributeValue | undefined, where: string): MessageAttributeValue {
  if (!value?.DataType) {
    throw snsErr('ValidationError', `1 validation error detected: Value null at '${where}.${name}.member.dataType' failed to satisfy constraint: Member must not be null`);
  }
  if (Buffer.byteLength(name) >= 256) throw invalid('Length of message attribute name must be less than 256 bytes.');
  for (const ch of name) {
    if (!NAME_CHAR.test(ch)) {
      const hex = ch.codePointAt(0)!.toString(16).toUpperCase();
      throw invalid(`Invalid non-alphanumeric character '#x${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`);
    }
  }
  if (name.startsWith('.')) throw invalid("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw invalid("Invalid message attribute name ending with character '.' was found.");
  if (name.includes('..')) throw invalid("Message attribute name can not have successive '.' character.");
  const type = value.DataType;
  const m = TYPE.exec(type);
  if (!m) throw invalid(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
  const kind = m[1]!;
  if (kind === 'Binary') {
    if (value.BinaryValue === undefined && value.StringValue !== undefined) throw invalid(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
    if (!value.BinaryValue) throw emptyValue(name, kind);
    if (!BASE64.test(value.BinaryValue)) throw invalid(`The message attribute '${name}' with type 'Binary' has an invalid value.`);
    return { DataType: type, BinaryValue: value.BinaryValue };
  }
  if (value.StringValue === undefined && value.BinaryValue !== undefined) throw invalid(`The message attribute '${name}' with type '${kind}' must use field 'String'.`);
  if (!value.StringValue) throw emptyValue(name, kind);
  if (kind === 'Number' && !NUMBER.test(value.StringValue)) throw invalid(`Could not cast message attribute '${name}' value to number.`);
  if (type === 'String.Array') {
    let ok = false;
    try {
      ok = Array.isArray(JSON.parse(value.StringValue));
    } catch {
      ok = false;
    }
    if (!ok) throw invalid(`The message attribute '${name}' with type 'String.Array' has an invalid value.`);
  }
  return { DataType: type, StringValue: value.StringValue };
}

const emptyValue = (name: string, kind: string) =>
  invalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${kind}'.`);

/** Bytes AWS counts toward the 256 KB limit: message plus attribute names, types and values. */
export function publishSize(message: string, attributes: MessageAttributes): number {
  let n = Buffer.byteLength(message);
  for (const [name, a] of Object.entries(attributes)) {
    n += Buffer.byteLength(name) + Buffer.byteLength(a.DataType);
    n += a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue, 'base64').length : Buffer.byteLength(a.StringValue ?? '');
  }
  return n;
}
