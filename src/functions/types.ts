// Shapes of functions, event source mappings and invocations. A function is either a handler
// module (run in its own child process, as Lambda runs each execution environment) or an HTTP URL.
// Lambda's names are kept where the user sees them (SQSEvent, context, batchItemFailures).

/** A Lambda-style handler module: `handler` is "path/file.export" inside `codeDir`, as Lambda's Node runtime reads it. */
export interface ModuleFunction {
  name: string;
  kind: 'module';
  codeDir: string;
  handler: string;
  /** Function timeout in seconds (Lambda: 1–900, default 3). */
  timeoutSeconds: number;
  /** Memory size in MB (Lambda: 128–10240, default 128); the child's V8 heap limit. */
  memoryMb: number;
  environment: Record<string, string>;
  /** Function-level concurrency cap across all its mappings; beyond it invocations are throttled. */
  reservedConcurrency?: number;
  runtime?: string;
}

/** A function reached over HTTP: the SQSEvent is POSTed as JSON, the response body is the result. */
export interface UrlFunction {
  name: string;
  kind: 'url';
  url: string;
  timeoutSeconds: number;
  reservedConcurrency?: number;
}

export type FunctionSpec = ModuleFunction | UrlFunction;

/** An SQS event source mapping (Lambda CreateEventSourceMapping, SQS subset). */
export interface MappingSpec {
  functionName: string;
  /** arn:aws:sqs:REGION:ACCOUNT:NAME */
  queueArn: string;
  /** Records per invocation (default 10; standard 1–10,000, FIFO 1–10). */
  batchSize: number;
  /** How long to gather records before invoking (0–300 s; not for FIFO). */
  maximumBatchingWindowSeconds: number;
  /** FunctionResponseTypes: ["ReportBatchItemFailures"]. */
  reportBatchItemFailures: boolean;
  /** ScalingConfig.MaximumConcurrency: concurrent invocations of this mapping. */
  maximumConcurrency?: number;
  enabled: boolean;
  /** FilterCriteria.Filters[].Pattern, each a JSON text; a record matching any is delivered. */
  filterPatterns?: string[];
}

export interface SqsMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

/** One record of Lambda's SQSEvent, members in the order Lambda writes them. */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, SqsMessageAttribute>;
  md5OfMessageAttributes: string | null;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

export interface InvokeRequest {
  requestId: string;
  event: SqsEvent;
  /** Epoch ms when the function times out (context.getRemainingTimeInMillis counts down to it). */
  deadlineMs: number;
}

/**
 * What an invocation came to. `payload` is the handler's result as JSON text (undefined when it
 * returned nothing); errors carry Lambda's errorType/errorMessage.
 */
export type InvokeOutcome =
  | { ok: true; payload: string | undefined }
  | { ok: false; kind: 'error' | 'timeout' | 'crash'; errorType: string; errorMessage: string };

/** Runs one function. The poller enforces the timeout through `signal`; an invoker must then settle promptly. */
export interface Invoker {
  invoke(request: InvokeRequest, signal: AbortSignal): Promise<InvokeOutcome>;
  close(): Promise<void>;
}

/** The structured logger functions write to (pino's call shape). */
export interface FunctionLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
