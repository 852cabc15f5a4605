// Query protocol output: `<{Action}Response><{Action}Result>…` XML with flattened lists and maps
// (names from protocol/shapes.ts xmlNames), and the `ErrorResponse` document for errors.
import type { SqsError } from '../../core/errors.js';
import { noOutput, xmlNames } from '../shapes.js';
import type { WireResponse } from '../wire.js';

const NS = 'http://queue.amazonaws.com/doc/2012-11-05/';
const CONTENT_TYPE = 'text/xml';

/** SQS escapes quotes and CR too (spec §1.3). */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;' })[c]!);
}

function element(name: string, value: unknown, action: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const entry = name === 'Successful' ? `${action}ResultEntry` : (xmlNames[name]?.entry ?? name);
    return value.map((v) => element(entry, v, action)).join('');
  }
  if (typeof value === 'object') {
    const names = xmlNames[name];
    if (names?.key) {
      return Object.entries(value)
        .map(([k, v]) => `<${names.entry}><${names.key}>${xmlEscape(k)}</${names.key}>${element('Value', v, action)}</${names.entry}>`)
        .join('');
    }
    return `<${name}>${fields(value as Record<string, unknown>, action)}</${name}>`;
  }
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

const fields = (obj: Record<string, unknown>, action: string) =>
  Object.entries(obj)
    .map(([k, v]) => element(k, v, action))
    .join('');

export function renderQueryResult(action: string, result: Record<string, unknown> | undefined, requestId: string): WireResponse {
  const inner = noOutput.has(action) ? '' : `<${action}Result>${fields(result ?? {}, action)}</${action}Result>`;
  const body =
    `<?xml version="1.0"?><${action}Response xmlns="${NS}">${inner}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId }, body };
}

export function renderQueryError(error: SqsError, requestId: string): WireResponse {
  // The Query protocol words a missing queue differently (AWS recording, spec §2).
  const message = error.code === 'QueueDoesNotExist' ? 'The specified queue does not exist for this wsdl version.' : error.message;
  const body =
    `<?xml version="1.0"?><ErrorResponse xmlns="${NS}"><Error><Type>${error.fault}</Type>` +
    `<Code>${xmlEscape(error.row.queryCode)}</Code><Message>${xmlEscape(message)}</Message><Detail/></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.row.status, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId }, body };
}
