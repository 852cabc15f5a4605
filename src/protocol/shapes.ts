// Input shapes of the SQS actions: member types (for JSON type checks) and the Query protocol's
// flattened names (spec §1.3). Both decoders walk these, so each action is described once.
export type Shape =
  | { t: 'string' }
  | { t: 'integer' }
  | { t: 'boolean' }
  /** A flattened list: `<query>.1`, `<query>.2`, … */
  | { t: 'list'; query: string; member: Shape }
  /** A flattened map: `<query>.N.<keyName>` / `<query>.N.<valueName>`. */
  | { t: 'map'; query: string; keyName: string; valueName: string; value: Shape }
  | { t: 'struct'; members: Record<string, Shape> };

const str: Shape = { t: 'string' };
const int: Shape = { t: 'integer' };
const list = (query: string, member: Shape = str): Shape => ({ t: 'list', query, member });
const map = (query: string, keyName: string, value: Shape = str): Shape => ({ t: 'map', query, keyName, valueName: 'Value', value });
const struct = (members: Record<string, Shape>): Shape => ({ t: 'struct', members });

const attributeValue = struct({
  DataType: str,
  StringValue: str,
  BinaryValue: str,
  StringListValues: list('StringListValue'),
  BinaryListValues: list('BinaryListValue'),
});
const message = {
  MessageBody: str,
  DelaySeconds: int,
  MessageAttributes: map('MessageAttribute', 'Name', attributeValue),
  MessageSystemAttributes: map('MessageSystemAttribute', 'Name', attributeValue),
  MessageDeduplicationId: str,
  MessageGroupId: str,
};
const queue = { QueueUrl: str };
const page = { NextToken: str, MaxResults: int };

export const inputShapes: Record<string, Record<string, Shape>> = {
  CreateQueue: { QueueName: str, Attributes: map('Attribute', 'Name'), tags: map('Tag', 'Key') },
  DeleteQueue: queue,
  GetQueueUrl: { QueueName: str, QueueOwnerAWSAccountId: str },
  ListQueues: { QueueNamePrefix: str, ...page },
  GetQueueAttributes: { ...queue, AttributeNames: list('AttributeName') },
  SetQueueAttributes: { ...queue, Attributes: map('Attribute', 'Name') },
  PurgeQueue: queue,
  SendMessage: { ...queue, ...message },
  SendMessageBatch: { ...queue, Entries: list('SendMessageBatchRequestEntry', struct({ Id: str, ...message })) },
  ReceiveMessage: {
    ...queue,
    AttributeNames: list('AttributeName'),
    MessageSystemAttributeNames: list('MessageSystemAttributeName'),
    MessageAttributeNames: list('MessageAttributeName'),
    MaxNumberOfMessages: int,
    VisibilityTimeout: int,
    WaitTimeSeconds: int,
    ReceiveRequestAttemptId: str,
  },
  DeleteMessage: { ...queue, ReceiptHandle: str },
  DeleteMessageBatch: { ...queue, Entries: list('DeleteMessageBatchRequestEntry', struct({ Id: str, ReceiptHandle: str })) },
  ChangeMessageVisibility: { ...queue, ReceiptHandle: str, VisibilityTimeout: int },
  ChangeMessageVisibilityBatch: {
    ...queue,
    Entries: list('ChangeMessageVisibilityBatchRequestEntry', struct({ Id: str, ReceiptHandle: str, VisibilityTimeout: int })),
  },
  ListDeadLetterSourceQueues: { ...queue, ...page },
  TagQueue: { ...queue, Tags: map('Tag', 'Key') },
  UntagQueue: { ...queue, TagKeys: list('TagKey') },
  ListQueueTags: queue,
  AddPermission: { ...queue, Label: str, AWSAccountIds: list('AWSAccountId'), Actions: list('ActionName') },
  RemovePermission: { ...queue, Label: str },
  StartMessageMoveTask: { SourceArn: str, DestinationArn: str, MaxNumberOfMessagesPerSecond: int },
  CancelMessageMoveTask: { TaskHandle: str },
  ListMessageMoveTasks: { SourceArn: str, MaxResults: int },
};

/** Query names of output lists and maps (LS-QUERY): lists and maps are flattened in XML. */
export const xmlNames: Record<string, { entry: string; key?: string }> = {
  QueueUrls: { entry: 'QueueUrl' },
  queueUrls: { entry: 'QueueUrl' },
  Messages: { entry: 'Message' },
  Failed: { entry: 'BatchResultErrorEntry' },
  Results: { entry: 'ListMessageMoveTasksResultEntry' },
  Attributes: { entry: 'Attribute', key: 'Name' },
  MessageAttributes: { entry: 'MessageAttribute', key: 'Name' },
  Tags: { entry: 'Tag', key: 'Key' },
};

/** Actions whose Query response has no `<{Action}Result>` element. */
export const noOutput = new Set([
  'DeleteQueue', 'SetQueueAttributes', 'PurgeQueue', 'DeleteMessage', 'ChangeMessageVisibility',
  'TagQueue', 'UntagQueue', 'AddPermission', 'RemovePermission',
]);
