// SNS Query input: form pairs → the action's input object. Unlike SQS, SNS lists and maps are not
// flattened (shared/spec §8.1): `Tags.member.N.Key`, `Attributes.entry.N.key`/`.value`,
// `MessageAttributes.entry.N.Name` / `.Value.DataType`; botocore sends an empty list as `Name=`.
import type { SnsActionName } from '../../core/sns-api.js';
import { snsErr } from '../../core/sns-errors.js';
import { indices } from '../query/decode.js';
import { setOwn } from '../../core/rules/own.js';

type Shape =
  | { t: 'string' }
  | { t: 'boolean' }
  | { t: 'list'; member: Shape }
  | { t: 'map'; keyName: string; valueName: string; value: Shape }
  | { t: 'struct'; members: Record<string, Shape> };

const str: Shape = { t: 'string' };
const bool: Shape = { t: 'boolean' };
const list = (member: Shape): Shape => ({ t: 'list', member });
const struct = (members: Record<string, Shape>): Shape => ({ t: 'struct', members });
const attributes: Shape = { t: 'map', keyName: 'key', valueName: 'value', value: str };
const messageAttributes: Shape = { t: 'map', keyName: 'Name', valueName: 'Value', value: struct({ DataType: str, StringValue: str, BinaryValue: str }) };
const tags = list(struct({ Key: str, Value: str }));
const entry = {
  Message: str,
  Subject: str,
  MessageStructure: str,
  MessageAttributes: messageAttributes,
  MessageDeduplicationId: str,
  MessageGroupId: str,
};

/** Members of every SNS action's input (botocore SNS model). */
export const snsInputs: Record<SnsActionName, Record<string, Shape>> = {
  CreateTopic: { Name: str, Attributes: attributes, Tags: tags, DataProtectionPolicy: str },
  DeleteTopic: { TopicArn: str },
  Subscribe: { TopicArn: str, Protocol: str, Endpoint: str, Attributes: attributes, ReturnSubscriptionArn: bool },
  ConfirmSubscription: { TopicArn: str, Token: str, AuthenticateOnUnsubscribe: str },
  Unsubscribe: { SubscriptionArn: str },
  Publish: { TopicArn: str, TargetArn: str, PhoneNumber: str, ...entry },
  PublishBatch: { TopicArn: str, PublishBatchRequestEntries: list(struct({ Id: str, ...entry })) },
  ListTopics: { NextToken: str },
  ListSubscriptions: { NextToken: str },
  ListSubscriptionsByTopic: { TopicArn: str, NextToken: str },
  GetTopicAttributes: { TopicArn: str },
  SetTopicAttributes: { TopicArn: str, AttributeName: str, AttributeValue: str },
  GetSubscriptionAttributes: { SubscriptionArn: str },
  SetSubscriptionAttributes: { SubscriptionArn: str, AttributeName: str, AttributeValue: str },
  TagResource: { ResourceArn: str, Tags: tags },
  UntagResource: { ResourceArn: str, TagKeys: list(str) },
  ListTagsForResource: { ResourceArn: str },
};

type Params = Map<string, string>;

function decodeValue(params: Params, key: string, shape: Shape): unknown {
  switch (shape.t) {
    case 'string':
      return params.get(key);
    case 'boolean': {
      const raw = params.get(key);
      return raw === undefined ? undefined : raw.toLowerCase() === 'true';
    }
    case 'list': {
      const ns = indices(params, `${key}.member`);
      if (ns.length === 0) return params.has(key) ? [] : undefined;
      return ns.map((n) => decodeValue(params, `${key}.member.${n}`, shape.member));
    }
    case 'map': {
      const ns = indices(params, `${key}.entry`);
      if (ns.length === 0) return params.has(key) ? {} : undefined;
      const out: Record<string, unknown> = {};
      for (const n of ns) {
        const name = params.get(`${key}.entry.${n}.${shape.keyName}`);
        if (name === undefined) throw snsErr('InvalidParameter', `Invalid parameter: ${key}.entry.${n}.${shape.keyName}`);
        setOwn(out, name, decodeValue(params, `${key}.entry.${n}.${shape.valueName}`, shape.value) ?? (shape.value.t === 'string' ? '' : {}));
      }
      return out;
    }
    case 'struct': {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const v = decodeValue(params, key ? `${key}.${name}` : name, member);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
  }
}

export function decodeSnsInput(action: SnsActionName, params: Params): Record<string, unknown> {
  return decodeValue(params, '', struct(snsInputs[action])) as Record<string, unknown>;
}
