// Per-function counters (invocations, errors by kind, throttles, duration, messages by outcome) and
// their Prometheus text. Functions may not import metrics/ (DESIGN.md §2), so this renders its own
// lines; the server appends them to /metrics. Labels are bounded: function names come from config.

export interface FunctionCounters {
  invocations: number;
  errors: number;
  timeouts: number;
  crashes: number;
  throttles: number;
  durationMsTotal: number;
  messagesDeleted: number;
  messagesRetried: number;
  messagesFiltered: number;
  concurrent: number;
}

const empty = (): FunctionCounters => ({
  invocations: 0,
  errors: 0,
  timeouts: 0,
  crashes: 0,
  throttles: 0,
  durationMsTotal: 0,
  messagesDeleted: 0,
  messagesRetried: 0,
  messagesFiltered: 0,
  concurrent: 0,
});

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export class FunctionMetrics {
  private readonly byFunction = new Map<string, FunctionCounters>();

  of(fn: string): FunctionCounters {
    let c = this.byFunction.get(fn);
    if (!c) this.byFunction.set(fn, (c = empty()));
    return c;
  }

  snapshot(): Record<string, FunctionCounters> {
    return Object.fromEntries([...this.byFunction].map(([k, v]) => [k, { ...v }]));
  }

  /** Prometheus text exposition (0.0.4) of every function's counters. */
  prometheusText(): string {
    const families: [string, 'counter' | 'gauge', string, (c: FunctionCounters) => [Record<string, string>, number][]][] = [
      ['pier_function_invocations_total', 'counter', 'Function invocations.', (c) => [[{}, c.invocations]]],
      [
        'pier_function_errors_total',
        'counter',
        'Failed invocations by kind (error: the handler threw or answered an error; timeout; crash: the process died).',
        (c) => [
          [{ kind: 'error' }, c.errors],
          [{ kind: 'timeout' }, c.timeouts],
          [{ kind: 'crash' }, c.crashes],
        ],
      ],
      ['pier_function_throttles_total', 'counter', 'Invocations delayed because the function was at its reserved concurrency.', (c) => [[{}, c.throttles]]],
      ['pier_function_duration_seconds_sum', 'counter', 'Total invocation time.', (c) => [[{}, c.durationMsTotal / 1000]]],
      [
        'pier_function_messages_total',
        'counter',
        'Messages by outcome (deleted after success, retried after failure, filtered out by FilterCriteria).',
        (c) => [
          [{ outcome: 'deleted' }, c.messagesDeleted],
          [{ outcome: 'retried' }, c.messagesRetried],
          [{ outcome: 'filtered' }, c.messagesFiltered],
        ],
      ],
      ['pier_function_concurrent_executions', 'gauge', 'Invocations running now.', (c) => [[{}, c.concurrent]]],
    ];
    const out: string[] = [];
    for (const [name, type, help, samples] of families) {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [fn, c] of this.byFunction) {
        for (const [labels, value] of samples(c)) {
          const all = { function: fn, ...labels };
          out.push(`${name}{${Object.entries(all).map(([k, v]) => `${k}="${escape(v)}"`).join(',')}} ${value}`);
        }
      }
    }
    return out.join('\n') + '\n';
  }
}
