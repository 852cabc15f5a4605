// The JSON documents SNS delivers, in AWS's field order and layout (SNS DG
// sns-message-and-json-formats; field order AWS-recorded in LocalStack's test_sns.snapshot.json):
// a Notification envelope (SQS non-raw and HTTP/S), and the (Un)SubscriptionConfirmation messages.
// FIFO envelopes carry SequenceNumber and, as recorded on AWS, no signature fields.
import type { MessageAttributes } from '../core/model.js';
import type { Signer } from './signing.js';

export interface NotificationFields {
  messageId: string;
  topicArn: string;
  message: string;
  subject?: string;
  timestamp: string;
  sequenceNumber?: string;
  messageAttributes?: MessageAttributes;
}

export interface ConfirmationFields {
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  messageId: string;
  topicArn: string;
  token: string;
  message: string;
  subscribeUrl: string;
  timestamp: string;
}

/** AWS writes these documents with Jackson's pretty printer: `{\n  "Key" : value,\n … }`. */
function pretty(fields: [string, string | { raw: string } | undefined][]): string {
  const lines = fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `  ${JSON.stringify(k)} : ${typeof v === 'string' ? JSON.stringify(v) : v!.raw}`);
  return `{\n${lines.join(',\n')}\n}`;
}

function attributesBlock(attributes: MessageAttributes | undefined): { raw: string } | undefined {
  const names = Object.keys(attributes ?? {});
  if (names.length === 0) return undefined;
  const rows = names.map((n) => {
    const a = attributes![n]!;
    const value = a.BinaryValue ?? a.StringValue ?? '';
    return `    ${JSON.stringify(n)} : ${JSON.stringify({ Type: a.DataType, Value: value })}`;
  });
  return { raw: `{\n${rows.join(',\n')}\n  }` };
}

export const stringToSignNotification = (f: NotificationFields) =>
  `Message\n${f.message}\nMessageId\n${f.messageId}\n` +
  (f.subject !== undefined ? `Subject\n${f.subject}\n` : '') +
  `Timestamp\n${f.timestamp}\nTopicArn\n${f.topicArn}\nType\nNotification\n`;

export const stringToSignConfirmation = (f: ConfirmationFields) =>
  `Message\n${f.message}\nMessageId\n${f.messageId}\nSubscribeURL\n${f.subscribeUrl}\n` +
  `Timestamp\n${f.timestamp}\nToken\n${f.token}\nTopicArn\n${f.topicArn}\nType\n${f.type}\n`;

export interface Signature {
  version: string;
  signature: string;
  certUrl: string;
}

/** Signs a notification once; every subscriber of the publish gets the same signature. */
export function signNotification(signer: Signer, f: NotificationFields, version: string, baseUrl: string): Signature {
  return { version, signature: signer.sign(stringToSignNotification(f), version), certUrl: signer.certificateUrl(baseUrl) };
}

export function notificationJson(f: NotificationFields, sig: Signature | undefined, unsubscribeUrl: string): string {
  return pretty([
    ['Type', 'Notification'],
    ['MessageId', f.messageId],
    ['SequenceNumber', f.sequenceNumber],
    ['TopicArn', f.topicArn],
    ['Subject', f.subject],
    ['Message', f.message],
    ['Timestamp', f.timestamp],
    ['SignatureVersion', sig?.version],
    ['Signature', sig?.signature],
    ['SigningCertURL', sig?.certUrl],
    ['UnsubscribeURL', unsubscribeUrl],
    ['MessageAttributes', attributesBlock(f.messageAttributes)],
  ]);
}

export function confirmationJson(f: ConfirmationFields, sig: Signature): string {
  return pretty([
    ['Type', f.type],
    ['MessageId', f.messageId],
    ['Token', f.token],
    ['TopicArn', f.topicArn],
    ['Message', f.message],
    ['SubscribeURL', f.subscribeUrl],
    ['Timestamp', f.timestamp],
    ['SignatureVersion', sig.version],
    ['Signature', sig.signature],
    ['SigningCertURL', sig.certUrl],
  ]);
}

export const unsubscribeUrl = (baseUrl: string, subscriptionArn: string) => `${baseUrl}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
export const subscribeUrl = (baseUrl: string, topicArn: string, token: string) =>
  `${baseUrl}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`;

export const confirmationMessage = (topicArn: string) =>
  `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
export const unsubscribeMessage = (subscriptionArn: string) =>
  `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
