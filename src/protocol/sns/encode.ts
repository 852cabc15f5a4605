// SNS Query output, laid out as AWS writes it: no XML declaration, two-space indentation, a newline
// after every element (byte lengths match AWS-recorded Content-Length headers, e.g. 326 for a
// CreateTopic answer), lists as <member> elements and the Attributes map as <entry><key/><value/>.
import type { SnsError } from '../../core/sns-errors.js';
import type { WireResponse } from '../wire.js';

export const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const CONTENT_TYPE = 'text/xml';

/** Actions whose answer has no Result element; Tag/UntagResource answer an empty one (botocore model). */
const NO_RESULT = new Set(['DeleteTopic', 'Unsubscribe', 'SetTopicAttributes', 'SetSubscriptionAttributes']);

export function xmlEscape(text: string): string {
  return text.replace(/[&<>"\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;' })[c]!);
}

function element(name: string, value: unknown, indent: string): string {
  if (value === undefined || value === null) return '';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}<${name}/>\n`;
    return `${indent}<${name}>\n${value.map((v) => element('member', v, inner)).join('')}${indent}</${name}>\n`;
  }
  if (typeof value === 'object') {
    if (name === 'Attributes') {
      const entries = Object.entries(value as Record<string, string>).map(
        ([k, v]) => `${inner}<entry>\n${inner}  <key>${xmlEscape(k)}</key>\n${inner}  <value>${xmlEscape(v)}</value>\n${inner}</entry>\n`,
      );
      return `${indent}<${name}>\n${entries.join('')}${indent}</${name}>\n`;
    }
    return `${indent}<${name}>\n${fields(value as Record<string, unknown>, inner)}${indent}</${name}>\n`;
  }
  return `${indent}<${name}>${xmlEscape(String(value))}</${name}>\n`;
}

const fields = (obj: Record<string, unknown>, indent: string) =>
  Object.entries(obj)
    .map(([k, v]) => element(k, v, indent))
    .join('');

export function renderSnsResult(action: string, result: Record<string, unknown>, requestId: string): WireResponse {
  let inner = '';
  if (!NO_RESULT.has(action)) {
    const body = fields(result, '    ');
    inner = body ? `  <${action}Result>\n${body}  </${action}Result>\n` : `  <${action}Result/>\n`;
  }
  const body =
    `<${action}Response xmlns="${SNS_NS}">\n${inner}` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`;
  return { status: 200, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId }, body };
}

export function renderSnsError(error: SnsError, requestId: string): WireResponse {
  const body =
    `<ErrorResponse xmlns="${SNS_NS}">\n  <Error>\n    <Type>${error.fault}</Type>\n` +
    `    <Code>${xmlEscape(error.row.code)}</Code>\n    <Message>${xmlEscape(error.message)}</Message>\n  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
  return { status: error.row.status, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId }, body };
}
