// What server.ts adds on top of the SQS API: the declarations of --config / --template applied at
// start, the functions runtime bound to them, and the small admin JSON routes the CLI uses
// (GET /_pier/functions, GET /_pier/peek). Kept apart so the composition root stays short.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { applyDeclarations } from './config/apply.js';
import { ConfigError, type Config } from './config/config.js';
import { DeclarationError, type Declarations, emptyDeclarations, withEndpoint } from './config/declarations.js';
import { configFromObject, loadConfigFile } from './config/file.js';
import { loadTemplate } from './config/sam.js';
import type { Scheduler } from './core/ports.js';
import type { QueueService } from './core/queue-service.js';
import type { SnsService } from './core/sns-api.js';
import { FunctionConfigError, FunctionHost } from './functions/host.js';
import type { FunctionLog } from './functions/types.js';

export interface PierApp {
  /** Admin routes; true when handled. */
  route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Starts the declared functions once the server listens at `endpoint`. */
  start(endpoint: string): Promise<void>;
  /** Function metrics in Prometheus text, appended to /metrics. */
  metricsText(): string;
  stop(): Promise<void>;
}

/** Loads and applies what the config declares; declaration errors become ConfigError (exit 2). */
export async function prepareApp(config: Readonly<Config>, service: QueueService, scheduler: Scheduler, log: FunctionLog, sns?: SnsService): Promise<PierApp> {
  const scope = { accountId: config.accountId, region: config.region };
  const ctx = { ...scope, baseUrl: config.baseUrl ?? 'http://localhost', senderId: config.accountId };
  let declared: Declarations;
  try {
    declared = merge([
      config.configFile ? loadConfigFile(config.configFile, scope) : undefined,
      config.inlineConfig ? configFromObject(config.inlineConfig, resolve('.'), scope) : undefined,
      config.templateFile ? loadTemplate(config.templateFile, scope) : undefined,
    ]);
    for (const w of declared.warnings) log.warn({}, w);
    await applyDeclarations(declared, { sqs: service, sns, ctx });
  } catch (e) {
    if (e instanceof DeclarationError) throw new ConfigError(e.message);
    throw e;
  }
  let host: FunctionHost | undefined;
  let endpoint = config.baseUrl ?? '';

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return true;
  };

  return {
    async start(ep) {
      endpoint = config.baseUrl ?? ep;
      if (declared.functions.length === 0) return;
      host = new FunctionHost({ service, scheduler, uuid: randomUUID, log, accountId: config.accountId, region: config.region, endpoint });
      const functions = declared.functions.map((f) =>
        f.kind === 'module' ? { ...f, environment: Object.fromEntries(Object.entries(f.environment).map(([k, v]) => [k, withEndpoint(v, endpoint)])) } : f,
      );
      try {
        await host.start(functions, declared.mappings);
      } catch (e) {
        await host.stop();
        throw e instanceof FunctionConfigError ? new ConfigError(e.message) : e;
      }
    },
    async route(req, res, url) {
      if (req.method !== 'GET' || !url.pathname.startsWith('/_pier/')) return false;
      if (url.pathname === '/_pier/functions') return json(res, 200, { functions: host?.list() ?? [] });
      if (url.pathname === '/_pier/peek') {
        const queue = url.searchParams.get('queue') ?? '';
        const max = Math.min(Math.max(Number(url.searchParams.get('max') ?? 10) || 10, 1), 100);
        const account = url.searchParams.get('account') ?? config.accountId;
        const reqCtx = { ...ctx, accountId: account, region: url.searchParams.get('region') ?? config.region };
        const queueUrl = /^https?:\/\//.test(queue) ? queue : `${endpoint || 'http://localhost'}/${account}/${queue}`;
        try {
          const messages = await service.peekMessages(reqCtx, queueUrl, max);
          return json(res, 200, {
            messages: messages.map((m) => ({
              MessageId: m.messageId,
              Body: m.body,
              MD5OfBody: m.md5OfBody,
              Attributes: {
                SentTimestamp: String(m.sentMs),
                ApproximateReceiveCount: String(m.receiveCount),
                ...(m.groupId !== undefined ? { MessageGroupId: m.groupId } : {}),
                ...(m.sequenceNumber !== undefined ? { SequenceNumber: m.sequenceNumber } : {}),
              },
              MessageAttributes: m.attributes,
            })),
          });
        } catch (e) {
          return json(res, 400, { error: (e as Error).name, message: (e as Error).message });
        }
      }
      return json(res, 404, { error: 'NotFound', message: `no admin route ${url.pathname}` });
    },
    metricsText: () => host?.metrics.prometheusText() ?? '',
    async stop() {
      await host?.stop();
    },
  };
}

function merge(parts: (Declarations | undefined)[]): Declarations {
  const out = emptyDeclarations();
  for (const p of parts) {
    if (!p) continue;
    out.queues.push(...p.queues);
    out.topics.push(...p.topics);
    out.subscriptions.push(...p.subscriptions);
    out.functions.push(...p.functions);
    out.mappings.push(...p.mappings);
    out.warnings.push(...p.warnings);
  }
  return out;
}
