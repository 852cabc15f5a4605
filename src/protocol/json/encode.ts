// AWS JSON 1.0 output: results as JSON (absent members omitted), errors as `__type` + `message`
// with the `x-amzn-query-error` header that query-compatible clients (botocore) map codes from.
import type { SqsError } from '../../core/errors.js';
import type { WireResponse } from '../wire.js';

const CONTENT_TYPE = 'application/x-amz-json-1.0';

export function renderJsonResult(result: unknown, requestId: string): WireResponse {
  return { status: 200, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId }, body: JSON.stringify(result ?? {}) };
}

export function renderJsonError(error: SqsError, requestId: string): WireResponse {
  const { row } = error;
  const namespace = row.modeled ? 'com.amazonaws.sqs' : 'com.amazon.coral.service';
  return {
    status: row.status,
    headers: {
      'content-type': CONTENT_TYPE,
      'x-amzn-requestid': requestId,
      'x-amzn-query-error': `${row.queryCode};${error.fault}`,
    },
    body: JSON.stringify({ __type: `${namespace}#${row.shape}`, message: error.message }),
  };
}
