// Runs the order service in its own process (so the load generator and the service do not share
// an event loop), and reads its counters over HTTP.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceStats } from './order-service.js';
import { stopChild } from './pier-setup.js';

export interface ServiceProcess {
  url: string;
  stats(): Promise<ServiceStats>;
  stop(): Promise<void>;
}

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'order-service.js');

export function startServiceProcess(args: string[], logFile: string): Promise<ServiceProcess> {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  child.stderr!.pipe(log);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('order service did not start within 20 s'));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`order service exited (${code}); see ${logFile}`));
    });
    child.stdout!.on('data', (c: Buffer) => {
      log.write(c);
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1];
      resolve({
        url,
        stats: async () => (await (await fetch(`${url}/stats`)).json()) as ServiceStats,
        async stop() {
          await stopChild(child, 10_000);
          log.end();
        },
      });
    });
  });
}
