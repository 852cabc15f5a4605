// SNS's own error table: query code and HTTP status per error shape, from the botocore SNS model
// (botocore/data/sns/2010-03-31/service-2.json, `error.code` / `httpStatusCode`) and shared/spec
// §8.2. Separate from the SQS catalogue: the two services name and number their errors differently.
export interface SnsErrorRow {
  /** Query `<Code>`. */
  readonly code: string;
  readonly status: number;
}

const row = (code: string, status: number): SnsErrorRow => ({ code, status });

export const snsErrorCatalog = {
  InvalidParameter: row('InvalidParameter', 400),
  ParameterValueInvalid: row('ParameterValueInvalid', 400),
  NotFound: row('NotFound', 404),
  ResourceNotFound: row('ResourceNotFound', 404),
  AuthorizationError: row('AuthorizationError', 403),
  InternalError: row('InternalError', 500),
  TopicLimitExceeded: row('TopicLimitExceeded', 403),
  SubscriptionLimitExceeded: row('SubscriptionLimitExceeded', 403),
  FilterPolicyLimitExceeded: row('FilterPolicyLimitExceeded', 403),
  InvalidState: row('InvalidState', 400),
  BatchEntryIdsNotDistinct: row('BatchEntryIdsNotDistinct', 400),
  BatchRequestTooLong: row('BatchRequestTooLong', 400),
  EmptyBatchRequest: row('EmptyBatchRequest', 400),
  InvalidBatchEntryId: row('InvalidBatchEntryId', 400),
  TooManyEntriesInBatchRequest: row('TooManyEntriesInBatchRequest', 400),
  // AWS answers a missing required member (e.g. an attribute's DataType) with this code [AWS-rec].
  ValidationError: row('ValidationError', 400),
  Throttled: row('Throttled', 429),
  InvalidSecurity: row('InvalidSecurity', 403),
  TagLimitExceeded: row('TagLimitExceeded', 400),
  StaleTag: row('StaleTag', 400),
  TagPolicy: row('TagPolicy', 400),
  ConcurrentAccess: row('ConcurrentAccess', 400),
  // Wire-level problems (no Action, unknown Action, bad encoding), as SNS answers them.
  InvalidAction: row('InvalidAction', 400),
  MissingAction: row('MissingAction', 400),
  MalformedQueryString: row('MalformedQueryString', 400),
  RequestEntityTooLarge: row('RequestEntityTooLarge', 413),
} as const satisfies Record<string, SnsErrorRow>;

export type SnsErrorName = keyof typeof snsErrorCatalog;

/** The only error the SNS layer throws; protocol/sns renders it through the row. */
export class SnsError extends Error {
  readonly row: SnsErrorRow;
  constructor(readonly code: SnsErrorName, message: string) {
    super(message);
    this.name = code;
    this.row = snsErrorCatalog[code];
  }
  get fault(): 'Sender' | 'Receiver' {
    return this.row.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export const snsErr = (code: SnsErrorName, message: string) => new SnsError(code, message);

/** "Invalid parameter: <detail>" — SNS's most common InvalidParameter text. */
export const invalidParameter = (detail: string) => snsErr('InvalidParameter', `Invalid parameter: ${detail}`);
