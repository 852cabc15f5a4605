// The SNS front: http-server.ts hands over every request whose SigV4 scope names `sns`, plus the
// unsigned GETs SNS itself points subscribers at (the SubscribeURL's ConfirmSubscription, the
// UnsubscribeURL's Unsubscribe, and the SigningCertURL's certificate). Query protocol only
// (shared/spec §1.4: all SDKs speak Query to SNS). Unexpected errors become 500 InternalError.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from '../../core/api.js';
import type { SnsActionName, SnsService } from '../../core/sns-api.js';
import { SnsError, snsErr } from '../../core/sns-errors.js';
import { accountFor, credentialScope } from '../auth/credential-scope.js';
import { parseForm } from '../form.js';
import { header, readBody, send } from '../http-io.js';
import type { WireResponse } from '../wire.js';
import { decodeSnsInput, snsInputs } from './decode.js';
import { renderSnsError, renderSnsResult } from './encode.js';

export interface SnsHttpOptions {
  service: SnsService;
  accountId: string;
  region: string;
  baseUrl?: string;
  maxBodyBytes: number;
  log: { error(obj: object, msg: string): void };
  onRequest?(action: string, errorCode: string | undefined, ms: number): void;
}

const CERT_PATH = /^\/SimpleNotificationService-[0-9a-f]+\.pem$/;
/** Actions a subscriber reaches through URLs in the messages SNS sent it, unsigned. */
const LINK_ACTIONS = new Set(['ConfirmSubscription', 'Unsubscribe']);

/** Returns false when the request is not for SNS (the SQS path then serves it). */
export function snsRequestHandler(o: SnsHttpOptions) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const scope = credentialScope(header(req, 'authorization'), url.searchParams.get('X-Amz-Credential') ?? undefined);
    if (req.method === 'GET' && CERT_PATH.test(url.pathname)) {
      const pem = await o.service.signingCertificate(url.pathname);
      send(res, pem ? { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: pem } : { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found\n' });
      return true;
    }
    const linkAction = !scope && req.method === 'GET' && LINK_ACTIONS.has(url.searchParams.get('Action') ?? '');
    if (scope?.service !== 'sns' && !linkAction) return false;
    await handle(o, req, res, url, scope);
    return true;
  };
}

async function handle(o: SnsHttpOptions, req: IncomingMessage, res: ServerResponse, url: URL, scope: ReturnType<typeof credentialScope>): Promise<void> {
  const started = performance.now();
  const requestId = randomUUID();
  let action = '';
  let response: WireResponse;
  try {
    const params = form(url.search.slice(1));
    if (req.method === 'POST') form(await readText(req, o.maxBodyBytes), params);
    action = params.get('Action') ?? '';
    if (!action) throw snsErr('MissingAction', 'The request must contain the parameter Action.');
    if (!(action in snsInputs)) throw snsErr('InvalidAction', `The action ${action} is not valid for this endpoint.`);
    const name = action as SnsActionName;
    const input = decodeSnsInput(name, params);
    const handler = o.service.actions[name] as (ctx: RequestContext, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
    const result = await handler(context(o, req, scope, params), input);
    response = renderSnsResult(name, result, requestId);
  } catch (e) {
    const error = e instanceof SnsError ? e : internal(o, e, requestId, action);
    o.onRequest?.(action in snsInputs ? `sns:${action}` : 'unknown', error.row.code, performance.now() - started);
    return send(res, renderSnsError(error, requestId));
  }
  o.onRequest?.(`sns:${action}`, undefined, performance.now() - started);
  send(res, response);
}

function internal(o: SnsHttpOptions, e: unknown, requestId: string, action: string): SnsError {
  o.log.error({ err: e, requestId, action }, 'sns internal error');
  return snsErr('InternalError', `We encountered an internal error. Please try again. (request ${requestId})`);
}

/** Region and account from the SigV4 scope; an unsigned link takes them from the ARN it carries. */
function context(o: SnsHttpOptions, req: IncomingMessage, scope: ReturnType<typeof credentialScope>, params: Map<string, string>): RequestContext {
  let region = scope?.region ?? o.region;
  let accountId = accountFor(scope?.accessKeyId, o.accountId);
  if (!scope) {
    const arn = (params.get('TopicArn') ?? params.get('SubscriptionArn') ?? '').split(':');
    if (arn.length >= 6 && arn[2] === 'sns') [region, accountId] = [arn[3]!, arn[4]!];
  }
  return {
    accountId,
    region,
    baseUrl: o.baseUrl ?? `http://${header(req, 'host') ?? 'localhost'}`,
    senderId: scope?.accessKeyId ?? accountId,
  };
}

function form(text: string, into?: Map<string, string>): Map<string, string> {
  try {
    return parseForm(text, into);
  } catch {
    throw snsErr('MalformedQueryString', 'The request contains malformed percent-encoding or invalid UTF-8.');
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const body = await readBody(req, limit, () => snsErr('RequestEntityTooLarge', `The request body is larger than ${limit} bytes.`));
  try {
    return decoder.decode(body);
  } catch {
    throw snsErr('MalformedQueryString', 'The request contains malformed percent-encoding or invalid UTF-8.');
  }
}
