// Message validation (spec §5): allowed characters, attribute names/types/values, size including
// attributes, system attributes. Everything here throws the AWS error a client would see.
import { err, invalidValue, missing } from '../errors.js';
import { limits } from '../limits.js';
import type { MessageAttributes } from '../model.js';
import { base64ToBytes } from './base64.js';
import { setOwn } from './own.js';

// XML 1.0 characters: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
// With the u flag a lone surrogate is its own code point, so it is caught too.
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[\p{L}\p{N}_\-.]+$/u;
const ATTRIBUTE_TYPE = /^(String|Number|Binary)(\..+)?$/;
const utf8 = new TextEncoder();

export const invalidCharacters = () =>
  err(
    'InvalidMessageContents',
    'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
  );

export function hasInvalidCharacters(text: string): boolean {
  return INVALID_CHAR.test(text);
}

export function byteLength(text: string): number {
  return utf8.encode(text).length;
}

export function validateBody(body: string | undefined): string {
  if (body === undefined || body === '') throw missing('MessageBody');
  if (hasInvalidCharacters(body)) throw invalidCharacters();
  return body;
}

/** Size AWS checks against MaximumMessageSize: body plus every attribute name, type and value. */
export function messageSize(body: string, attributes: MessageAttributes): number {
  let size = byteLength(body);
  for (const [name, value] of Object.entries(attributes)) {
    size += byteLength(name) + byteLength(value.DataType);
    if (value.StringValue !== undefined) size += byteLength(value.StringValue);
    if (value.BinaryValue !== undefined) size += base64ToBytes(value.BinaryValue)?.length ?? 0;
  }
  return size;
}

export function validateMessageAttributes(attributes: MessageAttributes | undefined): MessageAttributes {
  if (!attributes) return {};
  const names = Object.keys(attributes);
  if (names.length > limits.messageAttributesMax) {
    throw err('InvalidParameterValue', `Number of message attributes [${names.length}] exceeds the allowed maximum [${limits.messageAttributesMax}].`);
  }
  const out: MessageAttributes = {};
  for (const name of names) setOwn(out, name, validateAttribute(name, attributes[name]));
  return out;
}

function validateAttribute(name: string, value: MessageAttributes[string]): MessageAttributes[string] {
  const lower = name.toLowerCase();
  if (
    name.length === 0 ||
    name.length > limits.attributeNameMax ||
    !ATTRIBUTE_NAME.test(name) ||
    lower.startsWith('aws.') ||
    lower.startsWith('amazon.') ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..')
  ) {
    throw err('InvalidParameterValue', `Message (user) attribute name '${name}' is invalid. Names can contain alphanumerics, hyphens, underscores and periods, must not start with AWS. or Amazon., must not start or end with a period and must not contain consecutive periods.`);
  }
  const type = value?.DataType;
  if (!type) throw err('InvalidParameterValue', `The message attribute '${name}' must contain non-empty message attribute type.`);
  const m = ATTRIBUTE_TYPE.exec(type);
  if (!m || type.length > limits.attributeNameMax) {
    throw err('InvalidParameterValue', `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
  }
  const kind = m[1];
  if (kind === 'Binary') {
    if (value.BinaryValue === undefined || value.BinaryValue === '') throw emptyValue(name, 'Binary');
    if (!base64ToBytes(value.BinaryValue)) throw err('InvalidParameterValue', `Message (user) attribute '${name}' has an invalid binary value: it must be base64-encoded.`);
    return { DataType: type, BinaryValue: value.BinaryValue };
  }
  const text = value.StringValue;
  if (text === undefined || text === '') throw emptyValue(name, kind);
  if (hasInvalidCharacters(text)) throw invalidCharacters();
  if (kind === 'Number' && !isAwsNumber(text)) {
    throw err('InvalidParameterValue', `Could not cast message attribute '${name}' value to number.`);
  }
  return { DataType: type, StringValue: text };
}

const emptyValue = (name: string, kind: string) =>
  err('InvalidParameterValue', `Message (user) attribute '${name}' must contain a non-empty value of type '${kind}'.`);

/** AWS numbers: up to 38 significant digits, magnitude within 10^-128..10^126. */
function isAwsNumber(text: string): boolean {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return false;
  const digits = text.replace(/[eE].*$/, '').replace(/[^\d]/g, '').replace(/^0+/, '').replace(/0+$/, '');
  if (digits.length > 38) return false;
  const n = Number(text);
  return n === 0 || (Math.abs(n) < 1e126 && Math.abs(n) >= 1e-128);
}

export function validateSystemAttributes(attributes: MessageAttributes | undefined): MessageAttributes {
  if (!attributes) return {};
  const out: MessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name !== 'AWSTraceHeader') {
      throw err('InvalidParameterValue', `Message system attribute name '${name}' is invalid.`);
    }
    if (value?.DataType !== 'String') {
      throw err('InvalidParameterValue', `Message system attribute 'AWSTraceHeader' must be of type String.`);
    }
    if (!value.StringValue) throw emptyValue(name, 'String');
    if (hasInvalidCharacters(value.StringValue)) throw invalidCharacters();
    out[name] = { DataType: 'String', StringValue: value.StringValue };
  }
  return out;
}

export function validateDelay(delaySeconds: number | undefined): number | undefined {
  if (delaySeconds === undefined) return undefined;
  if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > limits.delaySecondsMax) {
    throw invalidValue('DelaySeconds', delaySeconds, `DelaySeconds must be >= 0 and <= ${limits.delaySecondsMax}.`);
  }
  return delaySeconds;
}

const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

/** MessageGroupId / MessageDeduplicationId: 1–128 alphanumerics and ASCII punctuation. */
export function validateFifoId(param: 'MessageGroupId' | 'MessageDeduplicationId' | 'ReceiveRequestAttemptId', value: string): string {
  if (!FIFO_ID.test(value)) {
    throw invalidValue(param, value, `${param} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
  return value;
}
