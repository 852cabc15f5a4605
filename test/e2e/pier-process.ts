// Runs `pier serve` as a real child process for end-to-end tests: spawns the built CLI, waits for
// its `listening on http://HOST:PORT` line, and exposes the endpoint, its output and its exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';

/** dist/src/cli/main.js, found from this compiled file (dist/test/e2e/pier-process.js). */
export const CLI = resolve(fileURLToPath(import.meta.url), '../../../src/cli/main.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface PierProcess {
  child: ChildProcess;
  endpoint: string;
  port: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** Sends the signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** Environment without any PIER_* the test runner may have inherited. */
function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PIER_')) env[k] = v;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Starts `pier serve ARGS` and resolves once it prints where it listens. */
export function startPier(args: string[], opts: RunOptions = {}): Promise<PierProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    cwd: opts.cwd,
    env: cleanEnv({ PIER_LOG_LEVEL: 'warn', ...opts.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (err += d));
  const exited = new Promise<Exit>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  return new Promise<PierProcess>((res, rej) => {
    let ready = false;
    child.stdout!.on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/\S+:(\d+))\n/.exec(out);
      if (m && !ready) {
        ready = true;
        res({
          child,
          endpoint: m[1]!,
          port: Number(m[2]),
          stdout: () => out,
          stderr: () => err,
          exited,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((e) => {
      if (!ready) rej(new Error(`pier exited before listening (${JSON.stringify(e)})\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

/** Runs `pier ARGS` to completion (for commands that are expected to fail fast). */
export function runPier(args: string[], opts: RunOptions = {}): Promise<Exit & { stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: cleanEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((res) => child.once('close', (code, signal) => res({ code, signal, stdout, stderr })));
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `pier-e2e-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An SDK client for the server, with one attempt per call (a retry would blur what was acknowledged). */
export function sqsClient(endpoint: string, opts: { region?: string; accessKeyId?: string } = {}): SQSClient {
  return new SQSClient({
    endpoint,
    region: opts.region ?? 'us-east-1',
    credentials: { accessKeyId: opts.accessKeyId ?? 'AKIDPIERTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
