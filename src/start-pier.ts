// startPier(): the library entry for users' own test suites (node:test, vitest, jest). Starts a
// Pier in this process on a free port, applies a config (file path or object) or a SAM template,
// runs the declared functions, and stops cleanly, removing any temporary data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaults, type Config } from './config/config.js';
import { startServer } from './server.js';

export interface StartPierOptions {
  /** 'memory' (default: fastest, nothing on disk) or 'sqlite'. */
  storage?: 'memory' | 'sqlite';
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** SQLite only; default: a temporary directory removed by stop(). */
  dataDir?: string;
  /** A pier.config.yaml / .json path, or the same content as an object. */
  config?: string | object;
  /** An AWS SAM / CloudFormation template path. */
  template?: string;
  accountId?: string;
  region?: string;
  /** Default 'warn': quiet in test output. */
  logLevel?: string;
}

export interface StartedPier {
  /** http://127.0.0.1:PORT — give it to SDK clients as `endpoint`. */
  endpoint: string;
  port: number;
  region: string;
  accountId: string;
  /** The URL of a queue of this server's account by name. */
  queueUrl(name: string): string;
  stop(): Promise<void>;
}

export async function startPier(opts: StartPierOptions = {}): Promise<StartedPier> {
  const storage = opts.storage ?? 'memory';
  const temp = storage === 'sqlite' && !opts.dataDir ? mkdtempSync(join(tmpdir(), 'pier-')) : undefined;
  const config: Config = {
    ...defaults,
    storage,
    port: opts.port ?? 0,
    host: opts.host ?? defaults.host,
    dataDir: opts.dataDir ?? temp ?? defaults.dataDir,
    accountId: opts.accountId ?? defaults.accountId,
    region: opts.region ?? defaults.region,
    logLevel: opts.logLevel ?? 'warn',
    ...(typeof opts.config === 'string' ? { configFile: opts.config } : opts.config ? { inlineConfig: opts.config } : {}),
    ...(opts.template ? { templateFile: opts.template } : {}),
  };
  let server;
  try {
    server = await startServer(Object.freeze(config));
  } catch (e) {
    if (temp) rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  const { endpoint, port } = server;
  return {
    endpoint,
    port,
    region: config.region,
    accountId: config.accountId,
    queueUrl: (name) => `${endpoint}/${config.accountId}/${name}`,
    stop: async () => {
      await server.stop();
      if (temp) rmSync(temp, { recursive: true, force: true });
    },
  };
}
