// Starts a real Pier server for the conformance suites: SQLite in a throwaway directory (the
// default engine), an ephemeral port, quiet logs. PIER_CONFORMANCE_STORAGE=memory switches engines.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
