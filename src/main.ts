// `pier serve`: load the config, start the server, print where it listens, and stop cleanly on
// SIGTERM/SIGINT (stop accepting, answer waiting long polls, flush, close the store, exit 0).
import { pino } from 'pino';
import { ConfigError, loadConfig, usage } from './config/config.js';
import { startServer } from './server.js';

export async function serve(argv: string[]): Promise<void> {
  let config;
  try {
    config = loadConfig(argv);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n\n${usage}\n`);
    process.exit(2);
  }
  const log = pino({ level: config.logLevel });
  let server;
  try {
    server = await startServer(config, log);
  } catch (e) {
    // A wrong --config / --template: say which key, exit 2 like a bad flag.
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  process.stdout.write(`listening on ${server.endpoint}\n`);
  log.info({ storage: config.storage, dataDir: config.dataDir, endpoint: server.endpoint }, 'pier started');

  const shutdown = (signal: string) => {
    log.info({ signal }, 'stopping');
    server.stop().then(
      () => process.exit(0),
      (e) => {
        log.error({ err: e }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
