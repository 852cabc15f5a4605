// The process a handler module runs in: one per execution environment, reused while warm, one
// invocation at a time, as in Lambda. Loads `file.export` from the code directory the way Lambda's
// Node.js runtime does (file.js, then .mjs, then .cjs; CommonJS or ES module; nested export
// paths; and file.ts / .mts through ts-loader.ts), builds Lambda's `context`, supports async and callback handlers, and prefixes console
// output with the timestamp, request id and level as Lambda's runtime does.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

export interface ChildInit {
  functionName: string;
  codeDir: string;
  handler: string;
  memoryMb: number;
  region: string;
  accountId: string;
}

export type ParentMessage = { type: 'invoke'; requestId: string; event: unknown; deadlineMs: number };
export type ChildMessage =
  | { type: 'result'; requestId: string; payload?: string }
  | { type: 'error'; requestId: string; errorType: string; errorMessage: string; trace?: string[] };

type Handler = (event: unknown, context: object, callback?: (err?: unknown, value?: unknown) => void) => unknown;

class LoadError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const init = JSON.parse(process.argv[2] ?? '{}') as ChildInit;
let currentRequestId: string | undefined;

/** "dir/file.a.b" → module dir/file, export path a.b (Lambda's handler string). */
async function loadHandler(): Promise<Handler> {
  const slash = init.handler.lastIndexOf('/');
  const dir = slash >= 0 ? init.handler.slice(0, slash) : '';
  const rest = init.handler.slice(slash + 1);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot === rest.length - 1) throw new LoadError('Runtime.MalformedHandlerName', `Bad handler ${init.handler}`);
  const base = join(init.codeDir, dir, rest.slice(0, dot));
  const file = ['.js', '.mjs', '.cjs', '.ts', '.mts'].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) throw new LoadError('Runtime.ImportModuleError', `Error: Cannot find module '${rest.slice(0, dot)}'`);
  if (/\.m?ts$/.test(file)) register(new URL('./ts-loader.js', import.meta.url), { data: { codeDir: init.codeDir } });
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    const type = e instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError';
    throw new LoadError(type, `${(e as Error).name}: ${(e as Error).message}`);
  }
  const path = rest.slice(dot + 1).split('.');
  const dig = (root: unknown) => path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), root);
  const fn = dig(mod) ?? dig(mod.default);
  if (typeof fn !== 'function') throw new LoadError('Runtime.HandlerNotFound', `${rest} is undefined or not exported`);
  return fn as Handler;
}

const loaded = loadHandler();
loaded.catch(() => undefined); // reported per invocation, like Lambda's init errors

function patchConsole(): void {
  const write = (stream: NodeJS.WriteStream, level: string) => (...args: unknown[]) =>
    stream.write(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${format(...args)}\n`);
  console.log = write(process.stdout, 'INFO');
  console.info = write(process.stdout, 'INFO');
  console.debug = write(process.stdout, 'DEBUG');
  console.warn = write(process.stderr, 'WARN');
  console.error = write(process.stderr, 'ERROR');
}

function context(requestId: string, deadlineMs: number, done: (err: unknown, value?: unknown) => void) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: init.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${init.region}:${init.accountId}:function:${init.functionName}`,
    memoryLimitInMB: String(init.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${init.functionName}`,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
    identity: undefined,
    clientContext: undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    // Legacy completion methods, still honoured by Lambda's Node runtime.
    done: (err?: unknown, value?: unknown) => done(err, value),
    succeed: (value?: unknown) => done(null, value),
    fail: (err: unknown) => done(err ?? new Error('handled')),
  };
}

function describe(e: unknown): { errorType: string; errorMessage: string; trace?: string[] } {
  if (e instanceof LoadError) return { errorType: e.errorType, errorMessage: e.message };
  if (e instanceof Error) return { errorType: e.name || 'Error', errorMessage: e.message, trace: e.stack?.split('\n') };
  return { errorType: typeof e, errorMessage: String(e) };
}

function reply(msg: ChildMessage): void {
  process.send!(msg);
}

async function invoke(msg: ParentMessage): Promise<void> {
  currentRequestId = msg.requestId;
  try {
    const handler = await loaded;
    const value = await new Promise<unknown>((resolve, reject) => {
      const done = (err: unknown, v?: unknown) => (err !== null && err !== undefined ? reject(err) : resolve(v));
      const ctx = context(msg.requestId, msg.deadlineMs, done);
      const r = handler.length >= 3 ? handler(msg.event, ctx, done) : handler(msg.event, ctx);
      // An async (or promise-returning) handler settles through its promise; a sync one that
      // takes no callback returns its value; a callback handler waits for the callback.
      if (r !== null && typeof r === 'object' && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(resolve, reject);
      else if (handler.length < 3) resolve(r);
    });
    let payload: string | undefined;
    try {
      payload = value === undefined ? undefined : JSON.stringify(value);
    } catch (e) {
      throw new LoadError('Runtime.SerializationError', `Unable to stringify response body: ${(e as Error).message}`);
    }
    reply({ type: 'result', requestId: msg.requestId, payload });
  } catch (e) {
    console.error(`Invoke Error \t${JSON.stringify(describe(e))}`);
    reply({ type: 'error', requestId: msg.requestId, ...describe(e) });
  } finally {
    currentRequestId = undefined;
  }
}

patchConsole();
process.on('message', (msg: ParentMessage) => {
  if (msg.type === 'invoke') void invoke(msg);
});
// An error escaping the handler's promise chain fails the invocation and ends this environment,
// as in Lambda (Runtime.UnhandledPromiseRejection / uncaught exception).
const fatal = (errorType: string) => (e: unknown) => {
  const exit = () => process.exit(129);
  if (currentRequestId && process.connected) process.send!({ type: 'error', requestId: currentRequestId, errorType, errorMessage: describe(e).errorMessage }, exit);
  else exit();
};
process.on('uncaughtException', fatal('Runtime.UncaughtException'));
process.on('unhandledRejection', fatal('Runtime.UnhandledPromiseRejection'));
process.on('disconnect', () => process.exit(0));
