// Starts a real Pier server for the conformance suites: SQLite in a throwaway directory (the
// default engine), an ephemeral port, quiet logs. PIER_CONFORMANCE_STORAGE=memory switches engines.
import { SQSClient } from '@aws-sdk/client-sqs';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultConfig, startServer, type PierServer } from '../../src/index.js';

export interface RunningServer extends PierServer {
  storage: 'sqlite' | 'memory';
  /** Stops the server and removes its data directory. */
  close(): Promise<void>;
}

export async function startConformanceServer(): Promise<RunningServer> {
  const storage = process.env.PIER_CONFORMANCE_STORAGE === 'memory' ? 'memory' : 'sqlite';
  const dataDir = await mkdtemp(join(tmpdir(), 'pier-conformance-'));
  const server = await startServer({ ...defaultConfig, port: 0, storage, dataDir, logLevel: 'warn' });
  return {
    ...server,
    storage,
    close: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Static credentials every client signs with; the server maps them to account 000000000000. */
export const credentials = { accessKeyId: 'AKIDCONFORMANCE', secretAccessKey: 'conformance-secret' };
export const region = 'us-east-1';

/** The repository root (the nearest directory with a package.json above this file). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above the conformance tests');
    dir = up;
  }
  return dir;
}

/** Debian's aws CLI v2 (Query protocol); not the pyenv `aws` shim earlier on PATH. */
export const AWS_CLI = '/usr/bin/aws';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aws <service> …` against `endpoint` with a clean, file-less configuration. */
export function runAwsCli(endpoint: string, service: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: '/nonexistent/pier-conformance/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/pier-conformance/credentials',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extraEnv,
  };
  return new Promise((resolve) => {
    execFile(AWS_CLI, [service, ...args, '--endpoint-url', endpoint, '--output', 'json'], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/**
 * A conformance server plus a JS SDK client (no retries, so every call is one request), started
 * before the file's tests and stopped after them. Read `.server` / `.sqs` inside tests.
 */
export function useSqsServer(): { server: RunningServer; sqs: SQSClient } {
  const env = {} as { server: RunningServer; sqs: SQSClient };
  before(async () => {
    env.server = await startConformanceServer();
    env.sqs = new SQSClient({ endpoint: env.server.endpoint, region, credentials, maxAttempts: 1 });
  });
  after(async () => {
    env.sqs?.destroy();
    await env.server?.close();
  });
  return env;
}
