// One row per SQS error: JSON shape name, Query code, HTTP status. Source: shared/spec §2
// (Smithy model awsQueryError traits + AWS recordings). Renderers read only this table.
export interface ErrorRow {
  /** JSON `__type` suffix (the Smithy shape name). */
  readonly shape: string;
  /** Query `<Code>` and the `x-amzn-query-error` header's first part. */
  readonly queryCode: string;
  readonly status: number;
  /** Namespace of `__type`: modeled shapes live in com.amazonaws.sqs, unmodeled in coral. */
  readonly modeled: boolean;
}

const row = (shape: string, queryCode: string, status: number, modeled = true): ErrorRow => ({ shape, queryCode, status, modeled });
const sqs = (name: string) => `AWS.SimpleQueueService.${name}`;

export const errorCatalog = {
  BatchEntryIdsNotDistinct: row('BatchEntryIdsNotDistinct', sqs('BatchEntryIdsNotDistinct'), 400),
  BatchRequestTooLong: row('BatchRequestTooLong', sqs('BatchRequestTooLong'), 400),
  EmptyBatchRequest: row('EmptyBatchRequest', sqs('EmptyBatchRequest'), 400),
  InvalidAddress: row('InvalidAddress', 'InvalidAddress', 404),
  InvalidAttributeName: row('InvalidAttributeName', 'InvalidAttributeName', 400),
  InvalidAttributeValue: row('InvalidAttributeValue', 'InvalidAttributeValue', 400),
  InvalidBatchEntryId: row('InvalidBatchEntryId', sqs('InvalidBatchEntryId'), 400),
  InvalidIdFormat: row('InvalidIdFormat', 'InvalidIdFormat', 400),
  InvalidMessageContents: row('InvalidMessageContents', 'InvalidMessageContents', 400),
  InvalidSecurity: row('InvalidSecurity', 'InvalidSecurity', 403),
  MessageNotInflight: row('MessageNotInflight', sqs('MessageNotInflight'), 400),
  OverLimit: row('OverLimit', 'OverLimit', 403),
  PurgeQueueInProgress: row('PurgeQueueInProgress', sqs('PurgeQueueInProgress'), 403),
  QueueDeletedRecently: row('QueueDeletedRecently', sqs('QueueDeletedRecently'), 400),
  QueueDoesNotExist: row('QueueDoesNotExist', sqs('NonExistentQueue'), 400),
  QueueNameExists: row('QueueNameExists', 'QueueAlreadyExists', 400),
  ReceiptHandleIsInvalid: row('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404),
  RequestThrottled: row('RequestThrottled', 'RequestThrottled', 403),
  ResourceNotFoundException: row('ResourceNotFoundException', 'ResourceNotFoundException', 404),
  TooManyEntriesInBatchRequest: row('TooManyEntriesInBatchRequest', sqs('TooManyEntriesInBatchRequest'), 400),
  UnsupportedOperation: row('UnsupportedOperation', sqs('UnsupportedOperation'), 400),
  InvalidParameterValue: row('InvalidParameterValueException', 'InvalidParameterValue', 400, false),
  MissingParameter: row('MissingRequiredParameterException', 'MissingParameter', 400, false),
  AccessDenied: row('AccessDeniedException', 'AccessDenied', 403, false),
  InvalidAction: row('InvalidAction', 'InvalidAction', 400, false),
  // AWS common errors: a Query request without Action.
  MissingAction: row('MissingAction', 'MissingAction', 400, false),
  // AWS JSON services answer an unknown X-Amz-Target operation with this shape.
  UnknownOperationException: row('UnknownOperationException', 'UnknownOperationException', 400, false),
  // The wire itself is wrong (malformed JSON, wrong content type): AWS answers SerializationException.
  SerializationException: row('SerializationException', 'SerializationException', 400, false),
  RequestEntityTooLarge: row('RequestEntityTooLarge', 'RequestEntityTooLarge', 413, false),
  InternalFailure: row('InternalFailure', 'InternalFailure', 500, false),
} as const satisfies Record<string, ErrorRow>;

export type ErrorName = keyof typeof errorCatalog;
