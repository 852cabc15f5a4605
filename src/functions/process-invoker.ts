// Runs a handler module in child processes: a pool of warm execution environments, one invocation
// each at a time, spawned on demand (the mapping's concurrency bounds how many). A process is
// isolated from the server: a throw is an error result; an exit, a crash or a heap blow-up
// (--max-old-space-size = MemorySize) is a crash result; a hang past the timeout is killed. The
// server's event loop never runs handler code, so the API keeps answering.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChildInit, ChildMessage } from './runtime/child-runtime.js';
import type { FunctionLog, InvokeOutcome, InvokeRequest, Invoker, ModuleFunction } from './types.js';

const CHILD = fileURLToPath(new URL('./runtime/child-runtime.js', import.meta.url));

// An idle child leaves when its IPC channel closes; a busy one (say, in an endless loop) cannot
// notice, so every child still alive when this process exits is killed.
const living = new Set<ChildProcess>();
process.once('exit', () => living.forEach((c) => c.kill('SIGKILL')));

export interface ProcessInvokerOptions {
  fn: ModuleFunction;
  region: string;
  accountId: string;
  /** Pier's endpoint: handlers' AWS SDK clients reach SQS and SNS here (AWS_ENDPOINT_URL_SQS/SNS). */
  endpoint: string;
  log: FunctionLog;
  /** An idle environment is shut down after this long (default 10 minutes). */
  idleMs?: number;
}

interface Environment {
  child: ChildProcess;
  current?: { requestId: string; finish: (o: InvokeOutcome) => void };
  idleTimer?: NodeJS.Timeout;
  /** Set once the environment must not take another invocation (it failed fatally or is killed). */
  retired: boolean;
}

export class ProcessInvoker implements Invoker {
  private readonly idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  private closed = false;

  constructor(private readonly opts: ProcessInvokerOptions) {}

  /** Environments alive now (warm or busy). */
  get size(): number {
    return this.all.size;
  }

  invoke(req: InvokeRequest, signal: AbortSignal): Promise<InvokeOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, kind: 'error', errorType: 'Pier.Stopped', errorMessage: 'functions are stopping' });
    let env = this.idle.pop();
    while (env && env.retired) env = this.idle.pop();
    env ??= this.spawn();
    clearTimeout(env.idleTimer);
    const e = env;
    return new Promise<InvokeOutcome>((resolve) => {
      const onAbort = () => {
        this.kill(e);
        finish({ ok: false, kind: 'timeout', errorType: 'Sandbox.Timedout', errorMessage: 'the invocation was aborted' });
      };
      const finish = (o: InvokeOutcome) => {
        if (e.current?.requestId !== req.requestId) return;
        e.current = undefined;
        signal.removeEventListener('abort', onAbort);
        if (!e.retired && !this.closed) this.park(e);
        resolve(o);
      };
      e.current = { requestId: req.requestId, finish };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const unreachable = (err: Error | null) => {
        if (err) finish({ ok: false, kind: 'crash', errorType: 'Runtime.ExitError', errorMessage: `could not reach the function process: ${err.message}` });
      };
      try {
        e.child.send({ type: 'invoke', requestId: req.requestId, event: req.event, deadlineMs: req.deadlineMs }, unreachable);
      } catch (err) {
        unreachable(err as Error);
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const exits = [...this.all].map((e) => new Promise<void>((resolve) => (e.child.exitCode !== null || e.child.signalCode !== null ? resolve() : e.child.once('exit', () => resolve()))));
    for (const e of this.all) {
      // A busy process may be stuck in a loop: only a kill ends it. An idle one leaves on disconnect.
      if (e.current) this.kill(e);
      else if (e.child.connected) e.child.disconnect();
    }
    const force = setTimeout(() => [...this.all].forEach((e) => this.kill(e)), 2000);
    await Promise.all(exits);
    clearTimeout(force);
  }

  private spawn(): Environment {
    const { fn, region, accountId, endpoint } = this.opts;
    const init: ChildInit = { functionName: fn.name, codeDir: fn.codeDir, handler: fn.handler, memoryMb: fn.memoryMb, region, accountId };
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: 'en_US.UTF-8',
      TZ: 'UTC',
      LAMBDA_TASK_ROOT: fn.codeDir,
      _HANDLER: fn.handler,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime ?? 'nodejs20.x'}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'pier',
      AWS_SECRET_ACCESS_KEY: 'pier',
      AWS_ENDPOINT_URL_SQS: endpoint,
      AWS_ENDPOINT_URL_SNS: endpoint,
      ...fn.environment,
    };
    const child = fork(CHILD, [JSON.stringify(init)], {
      cwd: fn.codeDir,
      env,
      execArgv: [`--max-old-space-size=${fn.memoryMb}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const e: Environment = { child, retired: false };
    this.all.add(e);
    living.add(child);
    for (const [stream, name] of [[child.stdout, 'stdout'], [child.stderr, 'stderr']] as const) {
      // A handler's stderr (console.error) is its error channel: keep it visible at --log-level warn.
      const write = name === 'stderr' ? this.opts.log.warn.bind(this.opts.log) : this.opts.log.info.bind(this.opts.log);
      createInterface({ input: stream! }).on('line', (line) => write({ function: fn.name, stream: name }, line));
    }
    child.on('message', (msg: ChildMessage) => {
      if (msg.type === 'result') e.current?.finish({ ok: true, payload: msg.payload });
      else {
        // An error that escaped the handler ends the environment (Lambda resets it too).
        if (msg.errorType.startsWith('Runtime.Unhandled') || msg.errorType === 'Runtime.UncaughtException') e.retired = true;
        e.current?.finish({ ok: false, kind: 'error', errorType: msg.errorType, errorMessage: msg.errorMessage });
      }
    });
    const gone = (how: string) => {
      e.retired = true;
      living.delete(child);
      this.all.delete(e);
      const i = this.idle.indexOf(e);
      if (i >= 0) this.idle.splice(i, 1);
      clearTimeout(e.idleTimer);
      e.current?.finish({ ok: false, kind: 'crash', errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${e.current.requestId} Error: Runtime exited with error: ${how}` });
    };
    child.once('exit', (code, signal) => gone(code !== null ? `exit status ${code}` : `signal: ${signal}`));
    child.once('error', (err) => {
      if (child.exitCode === null && child.signalCode === null) this.kill(e);
      gone(err.message);
    });
    return e;
  }

  private park(e: Environment): void {
    this.idle.push(e);
    e.idleTimer = setTimeout(() => {
      const i = this.idle.indexOf(e);
      if (i < 0) return;
      this.idle.splice(i, 1);
      e.retired = true;
      if (e.child.connected) e.child.disconnect();
    }, this.opts.idleMs ?? 600_000).unref();
  }

  private kill(e: Environment): void {
    e.retired = true;
    if (e.child.exitCode === null && e.child.signalCode === null) e.child.kill('SIGKILL');
  }
}
