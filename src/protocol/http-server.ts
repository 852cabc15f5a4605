// The HTTP front: reads a bounded body, picks the protocol per request (JSON by X-Amz-Target,
// Query by Action=), builds the request context from the SigV4 scope, dispatches through the
// action table and renders results or errors in the request's protocol. Never lets an error
// escape: anything unexpected is a logged 500 InternalFailure and the server keeps serving.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RequestContext } from '../core/api.js';
import { err, SqsError } from '../core/errors.js';
import type { QueueService } from '../core/queue-service.js';
import { parseQueueUrl } from '../core/rules/queue-name.js';
import { type Action, actionTable } from './actions.js';
import { accountFor, credentialScope } from './auth/credential-scope.js';
import { parseForm } from './form.js';
import { decodeJsonInput } from './json/decode.js';
import { renderJsonError, renderJsonResult } from './json/encode.js';
import { decodeQueryInput } from './query/decode.js';
import { renderQueryError, renderQueryResult } from './query/encode.js';
import { header, readBody, send } from './http-io.js';
import type { WireResponse } from './wire.js';

export interface HttpOptions {
  service: QueueService;
  accountId: string;
  region: string;
  /** Public URL queue URLs start with; default: http://<Host header>. */
  baseUrl?: string;
  /** Largest request body accepted (bytes). */
  maxBodyBytes: number;
  log: { error(obj: object, msg: string): void; debug(obj: object, msg: string): void };
  /** Called once per API request, for metrics. */
  onRequest?(action: string, errorCode: string | undefined, ms: number): void;
  /** Non-API routes (health, metrics, console); return true when handled. */
  routes?(req: IncomingMessage, res: ServerResponse, url: URL): boolean | Promise<boolean>;
}

type Protocol = 'json' | 'query';

export function createHttpServer(opts: HttpOptions): Server {
  const table = actionTable(opts.service);
  const server = createServer((req, res) => {
    handle(opts, table, req, res).catch((e) => {
      opts.log.error({ err: e }, 'request failed outside the error renderer');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  // A client gets 30 s to send its whole request; a stalled upload must not hold a socket (and a
  // shutdown) for Node's default five minutes.
  server.requestTimeout = 30_000;
  server.headersTimeout = 30_000;
  return server;
}

async function handle(opts: HttpOptions, table: Map<string, Action>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/health') return send(res, { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok\n' });
  if (opts.routes && (await opts.routes(req, res, url))) return;

  const requestId = randomUUID();
  const target = header(req, 'x-amz-target');
  const protocol: Protocol = target !== undefined ? 'json' : 'query';
  let actionName = protocol === 'json' ? target!.replace(/^AmazonSQS\./, '') : '';
  let response: WireResponse;
  try {
    const body = await readBody(req, opts.maxBodyBytes, () => err('RequestEntityTooLarge', `The request body is larger than ${opts.maxBodyBytes} bytes.`));
    let action: Action | undefined;
    let input: Record<string, unknown>;
    const ctx = context(opts, req);
    const gone = new AbortController();
    res.once('close', () => res.writableEnded || gone.abort());
    ctx.signal = gone.signal;
    if (protocol === 'json') {
      if (!target!.startsWith('AmazonSQS.')) throw err('UnknownOperationException', `The operation ${target} is not known to this service.`);
      action = table.get(actionName);
      if (!action) throw err('UnknownOperationException', `The operation ${actionName || '(none)'} is not known to this service.`);
      input = decodeJsonInput(parseJson(body), action.input);
    } else {
      const params = parseForm(url.search.slice(1));
      if (req.method === 'POST') parseForm(utf8(body, 'query'), params);
      actionName = params.get('Action') ?? '';
      if (!actionName) throw err('MissingAction', 'The request must contain the parameter Action.');
      action = table.get(actionName);
      if (!action) throw err('InvalidAction', `The action ${actionName} is not valid for this endpoint.`);
      // Query clients may address the queue by the request path instead of a QueueUrl parameter.
      const pathQueue = parseQueueUrl(url.pathname);
      if (pathQueue && actionName === 'ListQueues') throw err('InvalidAction', 'The action ListQueues is not valid for this endpoint.');
      if (pathQueue && 'QueueUrl' in action.input && !params.has('QueueUrl')) params.set('QueueUrl', `${ctx.baseUrl}${url.pathname}`);
      input = decodeQueryInput(params, action.input);
    }
    const result = await action.handle(ctx, input);
    response = protocol === 'json' ? renderJsonResult(result, requestId) : renderQueryResult(actionName, result, requestId);
  } catch (e) {
    // The client hung up mid-request: nobody to answer, and not a server fault worth alerting on.
    if (req.destroyed && !(e instanceof SqsError)) {
      opts.log.debug({ requestId, action: actionName }, 'client went away');
      return;
    }
    const error = e instanceof SqsError ? e : internal(opts, e, requestId, actionName);
    response = protocol === 'json' ? renderJsonError(error, requestId) : renderQueryError(error, requestId);
    // Only known action names become metric labels, so junk requests cannot grow the label set.
    opts.onRequest?.(table.has(actionName) ? actionName : 'unknown', error.row.queryCode, performance.now() - started);
    return send(res, response);
  }
  opts.onRequest?.(actionName, undefined, performance.now() - started);
  send(res, response);
}

function internal(opts: HttpOptions, e: unknown, requestId: string, action: string): SqsError {
  opts.log.error({ err: e, requestId, action }, 'internal error');
  return err('InternalFailure', `We encountered an internal error. Please try again. (request ${requestId})`);
}

function context(opts: HttpOptions, req: IncomingMessage): RequestContext {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const scope = credentialScope(header(req, 'authorization'), url.searchParams.get('X-Amz-Credential') ?? undefined);
  const accountId = accountFor(scope?.accessKeyId, opts.accountId);
  return {
    accountId,
    region: scope?.region ?? opts.region,
    baseUrl: opts.baseUrl ?? `http://${header(req, 'host') ?? 'localhost'}`,
    senderId: scope?.accessKeyId ?? accountId,
  };
}

const decoder = new TextDecoder('utf-8', { fatal: true });
/** A Query body with raw invalid UTF-8 fails like a bad percent-escape (form.ts), not as JSON would. */
function utf8(bytes: Buffer, protocol: Protocol = 'json'): string {
  try {
    return decoder.decode(bytes);
  } catch {
    if (protocol === 'query') throw err('InvalidParameterValue', 'The request contains malformed percent-encoding or invalid UTF-8.');
    throw err('SerializationException', 'The request body is not valid UTF-8.');
  }
}

function parseJson(bytes: Buffer): unknown {
  const text = utf8(bytes);
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw err('SerializationException', 'The request body is not valid JSON.');
  }
}
