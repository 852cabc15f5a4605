// Request and result shapes of the SQS actions, with AWS's member names, as protocol decoders
// produce them and encoders consume them. Optional members stay undefined when absent.
import type { MessageAttributes } from './model.js';

/** Who is asking, and how queue URLs are spelled for them. */
export interface RequestContext {
  accountId: string;
  region: string;
  /** scheme://host[:port] that minted queue URLs start with. */
  baseUrl: string;
  senderId: string;
  /** Aborted when the client goes away: a long poll then ends without taking messages. */
  signal?: AbortSignal;
}

type Map = Record<string, string>;

export interface BatchResultErrorEntry {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

export interface SendEntry {
  Id?: string;
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: MessageAttributes;
  MessageSystemAttributes?: MessageAttributes;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

export interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Map;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: MessageAttributes;
}

export interface Api {
  CreateQueue: { in: { QueueName?: string; Attributes?: Map; tags?: Map }; out: { QueueUrl: string } };
  DeleteQueue: { in: { QueueUrl?: string }; out: object };
  GetQueueUrl: { in: { QueueName?: string; QueueOwnerAWSAccountId?: string }; out: { QueueUrl: string } };
  ListQueues: { in: { QueueNamePrefix?: string; NextToken?: string; MaxResults?: number }; out: { QueueUrls?: string[]; NextToken?: string } };
  GetQueueAttributes: { in: { QueueUrl?: string; AttributeNames?: string[] }; out: { Attributes?: Map } };
  SetQueueAttributes: { in: { QueueUrl?: string; Attributes?: Map }; out: object };
  PurgeQueue: { in: { QueueUrl?: string }; out: object };
  SendMessage: { in: { QueueUrl?: string } & Omit<SendEntry, 'Id'>; out: SendResult };
  SendMessageBatch: {
    in: { QueueUrl?: string; Entries?: SendEntry[] };
    out: { Successful: (SendResult & { Id: string })[]; Failed?: BatchResultErrorEntry[] };
  };
  ReceiveMessage: {
    in: {
      QueueUrl?: string;
      AttributeNames?: string[];
      MessageSystemAttributeNames?: string[];
      MessageAttributeNames?: string[];
      MaxNumberOfMessages?: number;
      VisibilityTimeout?: number;
      WaitTimeSeconds?: number;
      ReceiveRequestAttemptId?: string;
    };
    out: { Messages?: ReceivedMessage[] };
  };
  DeleteMessage: { in: { QueueUrl?: string; ReceiptHandle?: string }; out: object };
  DeleteMessageBatch: {
    in: { QueueUrl?: string; Entries?: { Id?: string; ReceiptHandle?: string }[] };
    out: { Successful: { Id: string }[]; Failed?: BatchResultErrorEntry[] };
  };
  ChangeMessageVisibility: { in: { QueueUrl?: string; ReceiptHandle?: string; VisibilityTimeout?: number }; out: object };
  ChangeMessageVisibilityBatch: {
    in: { QueueUrl?: string; Entries?: { Id?: string; ReceiptHandle?: string; VisibilityTimeout?: number }[] };
    out: { Successful: { Id: string }[]; Failed?: BatchResultErrorEntry[] };
  };
  ListDeadLetterSourceQueues: { in: { QueueUrl?: string; NextToken?: string; MaxResults?: number }; out: { queueUrls: string[]; NextToken?: string } };
  TagQueue: { in: { QueueUrl?: string; Tags?: Map }; out: object };
  UntagQueue: { in: { QueueUrl?: string; TagKeys?: string[] }; out: object };
  ListQueueTags: { in: { QueueUrl?: string }; out: { Tags?: Map } };
  AddPermission: { in: { QueueUrl?: string; Label?: string; AWSAccountIds?: string[]; Actions?: string[] }; out: object };
  RemovePermission: { in: { QueueUrl?: string; Label?: string }; out: object };
  StartMessageMoveTask: { in: { SourceArn?: string; DestinationArn?: string; MaxNumberOfMessagesPerSecond?: number }; out: { TaskHandle: string } };
  CancelMessageMoveTask: { in: { TaskHandle?: string }; out: { ApproximateNumberOfMessagesMoved: number } };
  ListMessageMoveTasks: { in: { SourceArn?: string; MaxResults?: number }; out: { Results?: object[] } };
}

export type ActionName = keyof Api;
