// The one frozen Config, built from defaults < environment (PIER_*) < command-line flags.
import { parseArgs } from 'node:util';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  storage: 'sqlite' | 'memory';
  accountId: string;
  region: string;
  baseUrl?: string;
  logLevel: string;
  /** Largest HTTP request body (bytes): a 1 MiB batch, URL- or JSON-escaped, fits. */
  maxBodyBytes: number;
  /** Pier config file (YAML or JSON) of queues, topics, subscriptions and functions to apply at start. */
  configFile?: string;
  /** AWS SAM / CloudFormation template (subset) to apply at start. */
  templateFile?: string;
  /** The config file's content given as an object (library use: startPier({ config: {...} })). */
  inlineConfig?: object;
}

export const defaults: Config = {
  host: '127.0.0.1',
  port: 9324,
  dataDir: './.pier',
  storage: 'sqlite',
  accountId: '000000000000',
  region: 'us-east-1',
  logLevel: 'info',
  maxBodyBytes: 8 * 1024 * 1024,
};

const options = {
  host: { type: 'string', env: 'PIER_HOST' },
  port: { type: 'string', env: 'PIER_PORT' },
  'data-dir': { type: 'string', env: 'PIER_DATA_DIR' },
  storage: { type: 'string', env: 'PIER_STORAGE' },
  'account-id': { type: 'string', env: 'PIER_ACCOUNT_ID' },
  region: { type: 'string', env: 'PIER_REGION' },
  'base-url': { type: 'string', env: 'PIER_BASE_URL' },
  'log-level': { type: 'string', env: 'PIER_LOG_LEVEL' },
  config: { type: 'string', env: 'PIER_CONFIG' },
  template: { type: 'string', env: 'PIER_TEMPLATE' },
} as const;

export const usage = `pier serve [options]
  --host HOST           address to listen on (PIER_HOST, default 127.0.0.1)
  --port PORT           port; 0 picks a free one (PIER_PORT, default 9324)
  --data-dir DIR        where the embedded SQLite store lives (PIER_DATA_DIR, default ./.pier)
  --storage KIND        sqlite (durable, default) or memory (PIER_STORAGE)
  --account-id ID       12-digit account id (PIER_ACCOUNT_ID, default 000000000000)
  --region REGION       default region (PIER_REGION, default us-east-1)
  --base-url URL        public URL for queue URLs (PIER_BASE_URL, default: the Host header)
  --log-level LEVEL     trace|debug|info|warn|error (PIER_LOG_LEVEL, default info)
  --config FILE         apply a pier.config.yaml (or .json) at start (PIER_CONFIG)
  --template FILE       apply an AWS SAM / CloudFormation template subset at start (PIER_TEMPLATE)`;

export class ConfigError extends Error {}

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parseOptions = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, { type: v.type }]));
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: argv, options: parseOptions as Record<string, { type: 'string' }>, strict: true }).values as Record<string, string | undefined>;
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const pick = (name: keyof typeof options) => values[name] ?? env[options[name].env];
  const c: Config = { ...defaults };
  const set = <K extends keyof Config>(key: K, raw: string | undefined, parse: (s: string) => Config[K]) => {
    if (raw !== undefined && raw !== '') c[key] = parse(raw);
  };
  set('host', pick('host'), String);
  set('port', pick('port'), (s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`--port must be 0–65535, got ${s}`);
    return n;
  });
  set('dataDir', pick('data-dir'), String);
  set('storage', pick('storage'), (s) => {
    if (s !== 'sqlite' && s !== 'memory') throw new ConfigError(`--storage must be sqlite or memory, got ${s}`);
    return s;
  });
  set('accountId', pick('account-id'), (s) => {
    if (!/^\d{12}$/.test(s)) throw new ConfigError(`--account-id must be 12 digits, got ${s}`);
    return s;
  });
  set('region', pick('region'), (s) => {
    if (!/^[a-z0-9-]+$/.test(s)) throw new ConfigError(`--region looks wrong: ${s}`);
    return s;
  });
  set('baseUrl', pick('base-url'), (s) => {
    if (!/^https?:\/\/[^/]+$/.test(s.replace(/\/$/, ''))) throw new ConfigError(`--base-url must be like http://host:port, got ${s}`);
    return s.replace(/\/$/, '');
  });
  set('logLevel', pick('log-level'), (s) => {
    if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(s)) throw new ConfigError(`--log-level must be trace|debug|info|warn|error, got ${s}`);
    return s;
  });
  set('configFile', pick('config'), String);
  set('templateFile', pick('template'), String);
  return Object.freeze(c);
}
