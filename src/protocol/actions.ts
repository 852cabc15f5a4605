// THE action table: every SQS action's input shape (which both decoders walk) and its handler
// in QueueService. Encoders are generic per protocol; nothing else dispatches on action names.
import type { ActionName, Api, RequestContext } from '../core/api.js';
import type { QueueService } from '../core/queue-service.js';
import { inputShapes, type Shape } from './shapes.js';

export interface Action {
  name: ActionName;
  input: Record<string, Shape>;
  handle(ctx: RequestContext, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export function actionTable(service: QueueService): Map<string, Action> {
  const table = new Map<string, Action>();
  for (const name of Object.keys(service.actions) as ActionName[]) {
    const handler = service.actions[name] as (ctx: RequestContext, input: Api[ActionName]['in']) => Promise<Api[ActionName]['out']>;
    table.set(name, {
      name,
      input: inputShapes[name],
      handle: async (ctx, input) => (await handler(ctx, input as Api[ActionName]['in'])) as Record<string, unknown>,
    });
  }
  return table;
}
