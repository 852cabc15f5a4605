// Request and result shapes of the SNS actions, with AWS's member names (botocore SNS model), as
// protocol/sns decodes and encodes them. Optional members stay undefined when absent.
import type { RequestContext } from './api.js';
import type { MessageAttributes } from './model.js';

type Map = Record<string, string>;
export interface Tag {
  Key?: string;
  Value?: string;
}

export interface PublishEntry {
  Id?: string;
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: MessageAttributes;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

export interface SubscriptionSummary {
  SubscriptionArn: string;
  Owner: string;
  Protocol: string;
  Endpoint: string;
  TopicArn: string;
}

export interface SnsApi {
  CreateTopic: { in: { Name?: string; Attributes?: Map; Tags?: Tag[]; DataProtectionPolicy?: string }; out: { TopicArn: string } };
  DeleteTopic: { in: { TopicArn?: string }; out: object };
  Subscribe: {
    in: { TopicArn?: string; Protocol?: string; Endpoint?: string; Attributes?: Map; ReturnSubscriptionArn?: boolean };
    out: { SubscriptionArn: string };
  };
  ConfirmSubscription: { in: { TopicArn?: string; Token?: string; AuthenticateOnUnsubscribe?: string }; out: { SubscriptionArn: string } };
  Unsubscribe: { in: { SubscriptionArn?: string }; out: object };
  Publish: {
    in: PublishEntry & { TopicArn?: string; TargetArn?: string; PhoneNumber?: string };
    out: { MessageId: string; SequenceNumber?: string };
  };
  PublishBatch: {
    in: { TopicArn?: string; PublishBatchRequestEntries?: PublishEntry[] };
    out: {
      Successful: { Id: string; MessageId: string; SequenceNumber?: string }[];
      Failed: { Id: string; Code: string; Message: string; SenderFault: boolean }[];
    };
  };
  ListTopics: { in: { NextToken?: string }; out: { Topics: { TopicArn: string }[]; NextToken?: string } };
  ListSubscriptions: { in: { NextToken?: string }; out: { Subscriptions: SubscriptionSummary[]; NextToken?: string } };
  ListSubscriptionsByTopic: { in: { TopicArn?: string; NextToken?: string }; out: { Subscriptions: SubscriptionSummary[]; NextToken?: string } };
  GetTopicAttributes: { in: { TopicArn?: string }; out: { Attributes: Map } };
  SetTopicAttributes: { in: { TopicArn?: string; AttributeName?: string; AttributeValue?: string }; out: object };
  GetSubscriptionAttributes: { in: { SubscriptionArn?: string }; out: { Attributes: Map } };
  SetSubscriptionAttributes: { in: { SubscriptionArn?: string; AttributeName?: string; AttributeValue?: string }; out: object };
  TagResource: { in: { ResourceArn?: string; Tags?: Tag[] }; out: object };
  UntagResource: { in: { ResourceArn?: string; TagKeys?: string[] }; out: object };
  ListTagsForResource: { in: { ResourceArn?: string }; out: { Tags: { Key: string; Value: string }[] } };
}

export type SnsActionName = keyof SnsApi;

export type SnsHandler<A extends SnsActionName> = (ctx: RequestContext, input: SnsApi[A]['in']) => Promise<SnsApi[A]['out']>;

/** What protocol/sns dispatches to (sns/TopicService implements it). */
export interface SnsService {
  readonly actions: { [A in SnsActionName]: SnsHandler<A> };
  /** The PEM of the certificate whose URL path is `path`, if it is ours (SigningCertURL). */
  signingCertificate(path: string): Promise<string | undefined>;
}
